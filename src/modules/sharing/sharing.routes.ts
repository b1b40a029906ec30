import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Tx } from '../../db/pool.js';
import { AppError, notFound } from '../../lib/errors.js';
import { loadCalendar } from '../calendar/index.js';
import { getPoolResource } from '../catalog/index.js';
import { getProfile } from '../profiles/index.js';
import { actorOf } from '../../server/platform/context.js';
import { ErrorBody, Refusals } from '../../server/platform/schemas.js';
import * as S from './sharing.schemas.js';
import * as svc from './sharing.service.js';
import * as repo from './sharing.repository.js';
import { presentRequest } from './sharing.presenter.js';
import { maySetRecipients, reviewerKinds, seesResource, viewScope } from './sharing.policy.js';

const tags = ['sharing'];
const IdParams = Type.Object(
  { id: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });

export const sharingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const profile = getProfile(app.config.profile);
  const context = async (tx: Tx): Promise<svc.SharingContext> => ({
    profile,
    calendar: await loadCalendar(tx),
    today: svc.chinaToday(),
  });
  const show = async (tx: Tx, id: string) => {
    const ctx = await context(tx);
    return presentRequest(
      (await repo.getRequest(tx, id))!,
      await repo.listSteps(tx, id),
      ctx.calendar,
      ctx.today,
    );
  };

  app.post(
    '/share-requests',
    {
      config: { access: { permission: 'share.request' } },
      schema: {
        tags,
        operationId: 'createShareRequest',
        summary:
          'Ask for a published resource: fields (minimum scope), purpose, scenario, legal basis, period, delivery',
        body: S.RequestCreate,
        response: { 201: S.ShareRequest, ...Refusals },
      },
    },
    async (req, reply) => {
      const created = await app.audited(
        req,
        async (tx) =>
          show(tx, await svc.createRequest(tx, actorOf(req), req.body, await context(tx))),
        {
          action: 'share.request',
          targetType: 'share_request',
          details: (r) => ({ resourceId: r.resource.id, fields: r.fields, status: r.status }),
        },
      );
      return reply.status(201).send(created);
    },
  );

  app.get(
    '/share-requests',
    {
      config: { access: { permission: 'share.view' } },
      schema: {
        tags,
        operationId: 'listShareRequests',
        summary: 'Requests: mine (my body asked), to-review (waiting for me), or all I may see',
        querystring: S.RequestQuery,
        response: { 200: Page(S.ShareRequest), ...Refusals },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const { page = 1, pageSize = 20 } = req.query;
      const { rows, total } = await app.read((tx) =>
        repo.listRequests(tx, {
          scope: viewScope(actor),
          role: req.query.role ?? 'all',
          reviewerKinds: reviewerKinds(actor),
          status: req.query.status,
          overdue: req.query.overdue,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        }),
      );
      return { items: rows.map((r) => presentRequest(r)), total, page, pageSize };
    },
  );

  app.get(
    '/share-requests/:id',
    {
      config: { access: { permission: 'share.view' } },
      schema: {
        tags,
        operationId: 'getShareRequest',
        summary: 'A request with its steps, deadlines in working days and decisions',
        params: IdParams,
        response: { 200: S.ShareRequest, ...Refusals },
      },
    },
    async (req) =>
      app.read(async (tx) => {
        await svc.visibleRequest(tx, actorOf(req), req.params.id);
        return show(tx, req.params.id);
      }),
  );

  app.post(
    '/share-requests/:id/decisions',
    {
      config: { access: { permission: 'share.review' } },
      schema: {
        tags,
        operationId: 'decideShareRequest',
        summary:
          'Approve or refuse (a refusal must cite its basis); the reviewer may set masking and a row filter',
        params: IdParams,
        body: S.Decision,
        response: { 200: S.ShareRequest, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) =>
      app.audited(
        req,
        async (tx) =>
          show(tx, await svc.decide(tx, actorOf(req), req.params.id, req.body, await context(tx))),
        {
          action: `share.${req.body.decision}`,
          targetType: 'share_request',
          details: (r) => ({
            decision: req.body.decision,
            basis: req.body.basis,
            status: r.status,
            channelId: r.channelId,
          }),
        },
      ),
  );

  app.post(
    '/share-requests/:id/agreement',
    {
      config: { access: { permission: 'share.request' } },
      schema: {
        tags,
        operationId: 'acceptShareAgreement',
        summary:
          'The requesting body accepts the data-use agreement; the channel opens once the request is approved',
        params: IdParams,
        body: S.Agreement,
        response: { 200: S.ShareRequest, ...Refusals, 409: ErrorBody },
      },
    },
    async (req) =>
      app.audited(
        req,
        async (tx) => show(tx, await svc.acceptAgreement(tx, actorOf(req), req.params.id)),
        {
          action: 'share.agreement',
          targetType: 'share_request',
          details: (r) => ({ channelId: r.channelId }),
        },
      ),
  );

  app.put(
    '/resources/:id/recipients',
    {
      config: { access: { permission: 'share.manage' } },
      schema: {
        tags,
        operationId: 'setSpecialShareRecipients',
        summary: 'Named recipients of a special-share resource (city-2016 特殊共享类)',
        params: IdParams,
        body: S.Recipients,
        response: { 200: S.Recipients, ...Refusals },
      },
    },
    async (req) =>
      app.audited(
        req,
        async (tx) => {
          const actor = actorOf(req);
          const resource = await getPoolResource(tx, req.params.id);
          // another body's unpublished entry answers exactly like a missing one
          if (!resource || !seesResource(actor, resource)) throw notFound();
          if (!maySetRecipients(actor, resource.providerOrgId))
            throw new AppError('FORBIDDEN', { rule: 'provider_only' });
          await repo.setRecipients(tx, resource.id, req.body.orgIds);
          return { orgIds: await repo.listRecipients(tx, resource.id) };
        },
        {
          action: 'share.recipients',
          targetType: 'resource',
          targetId: req.params.id,
          details: (r) => r,
        },
      ),
  );

  app.get(
    '/sharing/over-scope',
    {
      config: { access: { permission: 'share.oversight' } },
      schema: {
        tags,
        operationId: 'listOverScopeReads',
        summary:
          'Reads refused for asking outside a channel’s scope, newest first (the authority’s report)',
        querystring: Type.Object(
          {
            page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
            pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Page(
            Type.Object({
              id: Type.Integer(),
              at: Type.String(),
              channelId: Type.String(),
              resourceName: Type.String(),
              orgId: Type.String(),
              orgName: Type.String(),
              actorName: Type.Union([Type.String(), Type.Null()]),
              kind: Type.String(),
              detail: Type.Unknown(),
            }),
          ),
          ...Refusals,
        },
      },
    },
    async (req) => {
      const { page = 1, pageSize = 20 } = req.query;
      const { rows, total } = await app.read((tx) =>
        repo.listViolations(tx, pageSize, (page - 1) * pageSize),
      );
      return {
        items: rows.map((v) => ({
          id: Number(v.id),
          at: v.at.toISOString(),
          channelId: v.channel_id,
          resourceName: v.resource_name,
          orgId: v.org_id,
          orgName: v.org_name,
          actorName: v.actor_name,
          kind: v.kind,
          detail: v.detail,
        })),
        total,
        page,
        pageSize,
      };
    },
  );
};
