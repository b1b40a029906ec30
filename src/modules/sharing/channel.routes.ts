import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { invalid } from '../../lib/errors.js';
import { TtlCache } from '../../lib/ttl-cache.js';
import { actorOf } from '../../server/platform/context.js';
import { ErrorBody, FileBody, Refusals } from '../../server/platform/schemas.js';
import * as S from './sharing.schemas.js';
import * as svc from './sharing.service.js';
import * as repo from './sharing.repository.js';
import { presentChannel } from './sharing.presenter.js';
import { viewScope } from './sharing.policy.js';
import {
  checkGrant,
  loadChannel,
  parseRecordQuery,
  type LoadedChannel,
  readChannelChanges,
  readEntry,
  RecordReader,
  readRecords,
  refuseOutOfScope,
  scopeProblem,
  maskedComparison,
  refusalOfUse,
  verifyRecord,
  type ChannelUse,
  type ReadGrant,
} from './channel.reads.js';
import { EXPORT_TYPES, exportChannel, type ExportFormat } from './channel.export.js';
import { channelUsage } from '../audit/index.js';

const tags = ['sharing'];
const IdParams = Type.Object(
  { id: Type.String({ format: 'uuid' }) },
  { additionalProperties: false },
);
const Row = Type.Record(Type.String(), Type.Unknown());

/**
 * Each process notes when it last marked a channel used, so reads do not each turn into a write.
 */
const lastTouch = new Map<string, number>();

export const channelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const suite = app.config.crypto;
  const ctxOf = (req: FastifyRequest) => ({ requestId: req.id, clientIp: req.ip });

  /**
   * The gate of every read: an active channel of the caller's body, used as it allows (`use`);
   * fields asked for must be granted, and fields compared (`compared`, a subset of `names`) shown
   * unmasked. It holds no connection while it refuses, so refusals never wait on the reads' pool.
   */
  // A channel's scope and state are remembered for 2 s. A change made here takes effect at once;
  // one made by another instance as soon as its announcement arrives (within that time if it is
  // lost).
  const channels = new TtlCache<string, LoadedChannel>(2_000);
  const records = new RecordReader(app.readPool);
  app.notices.on('gongshu_channel', (id) => (id ? channels.delete(id) : channels.clear()));

  async function gate(
    req: FastifyRequest,
    id: string,
    names: string[],
    use: ChannelUse = 'query',
    compared: string[] = [],
  ): Promise<ReadGrant> {
    const actor = actorOf(req);
    let loaded = channels.get(id);
    if (!loaded) {
      loaded = await app.read((tx) => loadChannel(tx, id));
      if (loaded) channels.set(id, loaded);
    }
    const grant = checkGrant(actor, loaded);
    const misuse = refusalOfUse(grant.channel, use);
    if (misuse)
      await refuseOutOfScope(
        app.db,
        suite,
        actor,
        grant.channel,
        misuse.kind,
        misuse.detail,
        ctxOf(req),
      );
    const outside = scopeProblem(grant, names);
    if (outside)
      await refuseOutOfScope(
        app.db,
        suite,
        actor,
        grant.channel,
        'field',
        { field: outside },
        ctxOf(req),
      );
    const masked = maskedComparison(grant, compared);
    if (masked)
      await refuseOutOfScope(
        app.db,
        suite,
        actor,
        grant.channel,
        'masked_compare',
        { field: masked, rule: grant.channel.masking[masked] },
        ctxOf(req),
      );
    if (Date.now() - (lastTouch.get(id) ?? 0) > 60_000) {
      lastTouch.set(id, Date.now());
      await repo.touchChannel(app.db, id);
    }
    return grant;
  }

  app.get(
    '/channels',
    {
      config: { access: { permission: 'share.view' } },
      schema: {
        tags,
        operationId: 'listChannels',
        summary: 'Channels my body reads or provides (all, for the platform’s overseers)',
        querystring: S.ChannelQuery,
        response: {
          200: Type.Object({
            items: Type.Array(S.Channel),
            total: Type.Integer(),
            page: Type.Integer(),
            pageSize: Type.Integer(),
          }),
          ...Refusals,
        },
      },
    },
    async (req) => {
      const { page = 1, pageSize = 20 } = req.query;
      const { rows, total } = await app.read((tx) =>
        repo.listChannels(tx, {
          scope: viewScope(actorOf(req)),
          status: req.query.status,
          limit: pageSize,
          offset: (page - 1) * pageSize,
        }),
      );
      return { items: rows.map(presentChannel), total, page, pageSize };
    },
  );

  app.get(
    '/channels/:id',
    {
      config: { access: { permission: 'share.view' } },
      schema: {
        tags,
        operationId: 'getChannel',
        summary: 'A channel: scope, masking, status, expiry, push schedule',
        params: IdParams,
        response: { 200: S.Channel, ...Refusals },
      },
    },
    async (req) =>
      presentChannel(await app.read((tx) => svc.visibleChannel(tx, actorOf(req), req.params.id))),
  );

  app.get(
    '/channels/:id/records',
    {
      config: { access: { permission: 'share.read' } },
      schema: {
        tags,
        operationId: 'readChannelRecords',
        summary:
          'Read masked rows within scope: `<field>=<value>`, `<field>.gte|lte|gt|lt=` (only on fields shown unmasked), `fields=a,b`, `limit`, `cursor`',
        params: IdParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.String()),
            cursor: Type.Optional(Type.String()),
            // up to 500 granted fields of up to 63 characters each: as long as a URL allows
            fields: Type.Optional(
              Type.String({ maxLength: 16_000, description: 'field names, comma-separated' }),
            ),
          },
          { additionalProperties: Type.String({ maxLength: 500 }) },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(Row),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...Refusals,
        },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const q = parseRecordQuery(req.query as Record<string, unknown>);
      const compared = [...Object.keys(q.equals), ...q.ranges.map((r) => r.name)];
      const grant = await gate(
        req,
        req.params.id,
        [...(q.select ?? []), ...compared],
        'query',
        compared,
      );
      for (const [name, value] of Object.entries(q.equals)) {
        const allowed = grant.channel.row_filter?.[name];
        if (allowed && !allowed.includes(value))
          await refuseOutOfScope(
            app.db,
            suite,
            actor,
            grant.channel,
            'row',
            { field: name },
            ctxOf(req),
          );
      }
      const page = await readRecords(records, grant, q, suite);
      await app.auditReads.record(
        readEntry(
          actor,
          grant.channel,
          'share.read',
          {
            fields: q.select ?? grant.channel.fields,
            rows: page.items.length,
            filter: Object.keys(q.equals),
          },
          ctxOf(req),
        ),
      );
      return page;
    },
  );

  app.get(
    '/channels/:id/changes',
    {
      config: { access: { permission: 'share.read' } },
      schema: {
        tags,
        operationId: 'readChannelChanges',
        summary: 'Change feed since a cursor (insert, update, delete), masked',
        params: IdParams,
        querystring: Type.Object(
          {
            since: Type.Optional(Type.String({ pattern: '^\\d{1,18}$' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({
                cursor: Type.String(),
                op: Type.String(),
                at: Type.String(),
                values: Row,
              }),
            ),
            nextCursor: Type.String(),
          }),
          ...Refusals,
        },
      },
    },
    async (req) => {
      const grant = await gate(req, req.params.id, []);
      const result = await app.read((tx) =>
        readChannelChanges(tx, grant, Number(req.query.since ?? 0), req.query.limit ?? 1000, suite),
      );
      await app.auditReads.record(
        readEntry(
          actorOf(req),
          grant.channel,
          'share.changes',
          {
            fields: grant.channel.fields,
            rows: result.items.length,
            since: req.query.since ?? '0',
          },
          ctxOf(req),
        ),
      );
      return result;
    },
  );

  app.get(
    '/channels/:id/export',
    {
      config: { access: { permission: 'share.read' } },
      schema: {
        tags,
        operationId: 'exportChannel',
        summary:
          'The whole channel, masked, streamed as CSV, NDJSON or XLSX; only a channel approved for bulk export (delivery `export`)',
        params: IdParams,
        querystring: Type.Object(
          { format: Type.Optional(Type.Enum(['csv', 'ndjson', 'xlsx'])) },
          { additionalProperties: false },
        ),
        response: {
          200: FileBody(
            'the file, streamed (text/csv, application/x-ndjson or XLSX)',
            ...Object.values(EXPORT_TYPES).map((t) => t.split(';')[0]),
          ),
          ...Refusals,
        },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const format = (req.query.format ?? 'csv') as ExportFormat;
      const grant = await gate(req, req.params.id, [], 'export');
      if (!grant.entry) throw invalid('id', 'no_data_pooled');
      // The export's ledger entry is durable before the first byte leaves; its row count follows
      // when the copy ends.
      await app.auditReads.record(
        readEntry(
          actor,
          grant.channel,
          'share.export',
          { fields: grant.channel.fields, format },
          ctxOf(req),
        ),
      );
      const stream = await exportChannel(
        app.streams,
        grant,
        format,
        suite,
        (err, rows) => {
          void app.auditReads
            .record({
              ...readEntry(actor, grant.channel, 'share.export.done', { format, rows }, ctxOf(req)),
              outcome: err ? 'failure' : 'success',
            })
            .catch(() => undefined);
        },
        app.config.exportWorkers,
      );
      const name = `${grant.channel.resource_name}-${new Date().toISOString().slice(0, 10)}.${format}`;
      return reply
        .type(EXPORT_TYPES[format])
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
        .send(stream);
    },
  );

  app.post(
    '/channels/:id/verify',
    {
      config: {
        access: { permission: 'share.read' },
        // Each answer is a yes/no about values the consumer may not read: guesses stay slow.
        // Counted per channel and calling body (no other body can use up the consumer's count),
        // once the request is authenticated and valid, in PostgreSQL so all instances count alike.
        rateLimit: {
          max: app.config.verifyRateLimit,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (req) =>
            `verify:${(req.params as { id: string }).id}:${req.actor?.orgId ?? req.ip}`,
        },
      },
      schema: {
        tags,
        operationId: 'verifyChannelRecord',
        summary:
          '核验: does the record with this identifier have these values? yes/no, nothing else; limited per channel per minute',
        params: IdParams,
        body: S.Verify,
        response: {
          200: Type.Object({ match: Type.Boolean() }),
          ...Refusals,
          429: ErrorBody,
        },
      },
    },
    async (req) => {
      const names = Object.keys(req.body.match);
      const grant = await gate(req, req.params.id, names, 'verify');
      const identifier = grant.entry?.identifierField;
      if (!identifier || !names.includes(identifier))
        throw invalid(`match.${identifier ?? 'identifier'}`, 'required');
      const match = await app.read((tx) => verifyRecord(tx, grant, req.body.match));
      await app.auditReads.record(
        readEntry(
          actorOf(req),
          grant.channel,
          'share.verify',
          { fields: names, match },
          ctxOf(req),
        ),
      );
      return { match };
    },
  );

  for (const action of ['suspend', 'resume', 'revoke', 'renew'] as const) {
    app.post(
      `/channels/:id/${action}`,
      {
        config: { access: { permission: 'share.manage' } },
        schema: {
          tags,
          operationId: `${action}Channel`,
          summary: `${action[0].toUpperCase()}${action.slice(1)} a channel${action === 'renew' ? ' until a new date' : ''}`,
          params: IdParams,
          body: S.ChannelAction,
          response: { 200: S.Channel, ...Refusals, 409: ErrorBody },
        },
      },
      async (req) => {
        const channel = await app.audited(
          req,
          (tx) =>
            svc.changeChannel(tx, actorOf(req), req.params.id, action, req.body, svc.chinaToday()),
          {
            action: `channel.${action}`,
            targetType: 'channel',
            details: (c) => ({ status: c.status, reason: req.body.reason, until: req.body.until }),
          },
        );
        channels.delete(channel.id);
        return presentChannel(channel);
      },
    );
  }

  app.get(
    '/channels/:id/usage',
    {
      config: { access: { permission: 'share.view' } },
      schema: {
        tags,
        operationId: 'getChannelUsage',
        summary:
          'Reads per day through the channel, from the audit ledger, and its push deliveries',
        params: IdParams,
        response: {
          200: Type.Object({
            days: Type.Array(
              Type.Object({
                day: Type.String(),
                reads: Type.Integer(),
                rows: Type.Integer(),
                denied: Type.Integer(),
              }),
            ),
            deliveries: Type.Array(Row),
          }),
          ...Refusals,
        },
      },
    },
    async (req) =>
      app.read(async (tx) => {
        await svc.visibleChannel(tx, actorOf(req), req.params.id);
        const days = await channelUsage(tx, req.params.id);
        const deliveries = (await repo.listDeliveries(tx, req.params.id, 50)).map((d) => ({
          ...d,
          id: Number(d.id),
          at: d.at.toISOString(),
          cursor_from: Number(d.cursor_from),
          cursor_to: Number(d.cursor_to),
        }));
        return { days, deliveries };
      }),
  );
};
