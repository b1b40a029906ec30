import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import * as repo from './audit.repository.js';
import { verify } from './audit.service.js';
import { actorOf } from '../../server/platform/context.js';
import { Paging, Refusals, ErrorBody } from '../../server/platform/schemas.js';

const tags = ['audit'];
const Nullable = (s: ReturnType<typeof Type.String>) => Type.Union([s, Type.Null()]);

const Entry = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String()),
  actorKind: Type.String(),
  orgId: Nullable(Type.String()),
  action: Type.String(),
  targetType: Nullable(Type.String()),
  targetId: Nullable(Type.String()),
  outcome: Type.String(),
  requestId: Nullable(Type.String()),
  clientIp: Nullable(Type.String()),
  details: Type.Unknown(),
  hash: Type.String(),
});
const Query = Type.Object(
  {
    actor: Type.Optional(Type.String({ maxLength: 100, description: 'username or actor id' })),
    org: Type.Optional(Type.String({ format: 'uuid' })),
    action: Type.Optional(
      Type.String({ maxLength: 100, description: 'exact action, or a prefix ending in *' }),
    ),
    from: Type.Optional(Type.String({ format: 'date-time' })),
    to: Type.Optional(Type.String({ format: 'date-time' })),
    targetType: Type.Optional(Type.String({ maxLength: 50 })),
    targetId: Type.Optional(Type.String({ maxLength: 100 })),
    ...Paging,
  },
  { additionalProperties: false },
);
const VerifyResult = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer(),
  firstBadEntry: Type.Optional(
    Type.Object({
      seq: Type.Integer(),
      reason: Type.String(),
      at: Type.Optional(Type.String()),
      action: Type.Optional(Type.String()),
    }),
  ),
});

function present(r: repo.LedgerRow) {
  return {
    seq: Number(r.seq),
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    actorKind: r.actor_kind,
    orgId: r.org_id,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    outcome: r.outcome,
    requestId: r.request_id,
    clientIp: r.client_ip,
    details: r.details,
    hash: r.hash,
  };
}

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/audit',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags,
        operationId: 'listAuditEntries',
        summary: 'Read the audit ledger, newest first, filtered',
        querystring: Query,
        response: {
          200: Type.Object({
            items: Type.Array(Entry),
            total: Type.Integer(),
            totalExact: Type.Boolean({
              description:
                'false when a filter matches more than can be counted quickly: total is then a lower bound',
            }),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...Refusals,
        },
      },
    },
    async (req) => {
      const { page = 1, pageSize = 20, ...filter } = req.query;
      const { rows, total, totalExact } = await app.read((tx) =>
        repo.list(tx, filter, null, pageSize, (page - 1) * pageSize),
      );
      return { items: rows.map(present), total, totalExact, page, pageSize };
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { access: { permission: 'audit.read' } },
      schema: {
        tags,
        operationId: 'verifyAuditChain',
        summary: 'Recompute the hash chain; names the first entry that no longer matches',
        response: { 200: VerifyResult, ...Refusals },
      },
    },
    async (req) => {
      const result = await verify(app.streams);
      await app.audited(req, async () => null, {
        action: 'audit.verify',
        targetType: 'audit_ledger',
        targetId: 'chain',
        details: () => ({
          ok: result.ok,
          entries: result.entries,
          firstBadEntry: result.firstBadEntry?.seq,
        }),
      });
      return result;
    },
  );

  app.get(
    '/audit/activity',
    {
      config: { access: 'authenticated' },
      schema: {
        tags,
        operationId: 'getAuditActivity',
        summary:
          'Ledger entries per day and outcome for the caller’s organisation (all organisations for auditors and admins)',
        querystring: Type.Object(
          { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 366, default: 30 })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ day: Type.String(), outcome: Type.String(), n: Type.Integer() }),
            ),
          }),
          401: ErrorBody,
        },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const everyOrg = actor.roles.includes('auditor') || actor.roles.includes('platform_admin');
      return {
        items: await app.read((tx) =>
          repo.activityByDay(tx, everyOrg ? null : actor.orgId, req.query.days ?? 30),
        ),
      };
    },
  );
};
