import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import multipart from '@fastify/multipart';
import { to as copyTo } from 'pg-copy-streams';
import { Type } from 'typebox';
import * as S from './pool.schemas.js';
import * as svc from './pool.service.js';
import { loadBatch, recoverInterruptedBatches } from './pool.load.js';
import { formatOf } from './pool.sources.js';
import { presentBatch } from './pool.presenter.js';
import { actorOf } from '../../server/platform/context.js';
import { ErrorBody, Refusals } from '../../server/platform/schemas.js';
import { AppError, invalid } from '../../lib/errors.js';

const tags = ['pool'];

/**
 * The original file name a client may send with a raw upload (URL-encoded), for the batch record.
 */
function fileNameHeader(raw: string | string[] | undefined): string | null {
  if (typeof raw !== 'string' || !raw) return null;
  try {
    return printable(decodeURIComponent(raw));
  } catch {
    return null;
  }
}

/**
 * A file name as the batch records it: control characters (a NUL, which PostgreSQL's text cannot
 * hold, among them) dropped, at most 255 characters.
 */
function printable(name: string | undefined): string | null {
  let out = '';
  for (const c of name ?? '') if (c >= ' ' && c !== '\x7f') out += c;
  return out.slice(0, 255) || null;
}
const UPLOAD_TYPES = [
  'text/csv',
  'application/x-ndjson',
  'application/jsonl',
  'application/json',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
];

/**
 * The upload route lives in its own context: its body parsers hand the raw request stream to
 * the loader instead of buffering it, so uploads of any size stream through to COPY.
 */
const uploadRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(UPLOAD_TYPES, (_req, payload, done) => done(null, payload));
  const maxBytes = app.config.uploadLimitBytes;
  await app.register(multipart, {
    // one byte more than the cap: the loader sees a file pass it (and answers 413) instead of a
    // file the multipart reader cut short without a word
    limits: { fileSize: maxBytes + 1, files: 1, fields: 10 },
  });

  app.post(
    '/resources/:id/batches',
    {
      config: { access: { permission: 'pool.load' } },
      schema: {
        tags,
        operationId: 'loadBatch',
        summary:
          'Load rows into a resource’s pool as one batch: JSON array, NDJSON, CSV, or a multipart CSV/XLSX file',
        description:
          'All accepted rows commit together or none do. Rows breaking a rule are listed under /batches/{id}/rejected; with strict=true one such row rejects the batch (422 BATCH_REJECTED). An upload larger than GONGSHU_UPLOAD_LIMIT_MB loads nothing (413 PAYLOAD_TOO_LARGE).',
        params: S.IdParams,
        querystring: S.LoadQuery,
        headers: S.LoadHeaders,
        response: {
          200: S.LoadResult,
          201: S.LoadResult,
          ...Refusals,
          409: ErrorBody,
          413: ErrorBody,
          415: ErrorBody,
          422: ErrorBody,
        },
      },
    },
    async (req, reply) => {
      // an upload that says it is too large is refused before a byte of it is read
      if (!req.isMultipart() && Number(req.headers['content-length']) > maxBytes)
        throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes: maxBytes });
      let body: Readable;
      let fileName: string | null = null;
      let format: ReturnType<typeof formatOf>;
      if (req.isMultipart()) {
        const part = await req.file();
        if (!part) throw invalid('file', 'required');
        body = part.file;
        fileName = printable(part.filename);
        format = formatOf(part.mimetype, part.filename);
      } else {
        body = req.body as Readable;
        fileName = fileNameHeader(req.headers['x-file-name']);
        format = formatOf(req.headers['content-type']);
      }
      if (!format || !body) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
      const { batch, replayed } = await loadBatch(
        app.streams,
        actorOf(req),
        {
          resourceId: req.params.id,
          mode: req.query.mode ?? 'append',
          strict: req.query.strict ?? false,
          idempotencyKey: req.headers['idempotency-key'] ?? null,
          format,
          fileName,
          body,
          maxBytes,
        },
        { crypto: app.config.crypto, requestId: req.id, clientIp: req.ip },
      );
      if (batch.status === 'rejected')
        throw new AppError('BATCH_REJECTED', {
          batchId: batch.id,
          received: batch.received,
          rejected: batch.rejected,
        });
      const result = {
        batchId: batch.id,
        status: batch.status,
        accepted: batch.accepted,
        rejected: batch.rejected,
        replayed,
        batch: presentBatch(batch),
      };
      return reply.status(replayed ? 200 : 201).send(result);
    },
  );
};

export const poolRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onReady', async () => {
    await recoverInterruptedBatches(app.db);
  });
  await app.register(uploadRoutes);

  app.get(
    '/pool/resources',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'listPooledResources',
        summary: 'Pooled resources the caller may load into or inspect',
        response: { 200: S.PoolInfoList, ...Refusals },
      },
    },
    async (req) => ({ items: await app.read((tx) => svc.listPoolInfo(tx, actorOf(req))) }),
  );

  app.get(
    '/resources/:id/pool',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'getResourcePool',
        summary: 'A resource’s pool: its fields and how many live rows it holds',
        params: S.IdParams,
        response: { 200: S.PoolInfo, ...Refusals },
      },
    },
    async (req) => app.read((tx) => svc.poolInfo(tx, actorOf(req), req.params.id)),
  );

  app.get(
    '/resources/:id/rows',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'listPoolRows',
        summary: 'Live pooled rows of a resource, for its provider to check',
        params: S.IdParams,
        querystring: S.RowsQuery,
        response: { 200: S.RowPage, ...Refusals },
      },
    },
    async (req) => ({
      items: await app.read((tx) =>
        svc.readRows(tx, actorOf(req), req.params.id, req.query.limit ?? 20, req.query.offset ?? 0),
      ),
    }),
  );

  app.get(
    '/resources/:id/batches',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'listBatches',
        summary: 'Batches loaded into a resource, newest first',
        params: S.IdParams,
        querystring: S.PageQuery,
        response: { 200: S.BatchPage, ...Refusals },
      },
    },
    async (req) => {
      const page = req.query.page ?? 1;
      const pageSize = req.query.pageSize ?? 20;
      const { rows, total } = await app.read((tx) =>
        svc.listBatches(tx, actorOf(req), req.params.id, page, pageSize),
      );
      return { items: rows.map(presentBatch), total, page, pageSize };
    },
  );

  app.get(
    '/batches/:id',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'getBatch',
        summary: 'One batch: status, counts and error',
        params: S.IdParams,
        response: { 200: S.Batch, ...Refusals },
      },
    },
    async (req) =>
      presentBatch(await app.read((tx) => svc.getBatch(app.db, tx, actorOf(req), req.params.id))),
  );

  app.get(
    '/batches/:id/rejected',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'listRejectedRows',
        summary:
          'Rows a batch did not load, with the field, the rule and the value (format=csv streams them all)',
        params: S.IdParams,
        querystring: S.RejectedQuery,
        response: {
          200: {
            description: 'a page of rejected rows, or with format=csv all of them as CSV',
            content: {
              'application/json': { schema: S.RejectedPage },
              'text/csv': { schema: Type.String({ description: 'field, rule, value per row' }) },
            },
          },
          ...Refusals,
        },
      },
    },
    async (req, reply) => {
      const batch = await app.read((tx) => svc.getBatch(app.db, tx, actorOf(req), req.params.id));
      if (req.query.format !== 'csv')
        return app.read((tx) =>
          svc.listRejected(tx, batch.id, req.query.limit ?? 100, req.query.offset ?? 0),
        );
      const client = await app.streams.connect();
      const stream = client.query(copyTo(svc.rejectedCsvSql(batch.id)));
      const done = (err?: Error) => client.release(err);
      stream.once('end', () => done()).once('error', (err) => done(err));
      reply.raw.once('close', () => {
        if (!stream.readableEnded) stream.destroy();
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="rejected-${batch.id}.csv"`)
        .send(stream as never);
    },
  );

  app.get(
    '/resources/:id/changes',
    {
      config: { access: { permission: 'pool.inspect' } },
      schema: {
        tags,
        operationId: 'listPoolChanges',
        summary:
          'Internal change history of a resource’s pool since a cursor (inserts, updates, deletes with their batch)',
        params: S.IdParams,
        querystring: S.ChangesQuery,
        response: { 200: S.ChangePage, ...Refusals },
      },
    },
    async (req) =>
      app.read(async (tx) => {
        await svc.entryFor(tx, actorOf(req), req.params.id);
        return svc.readChanges(tx, req.params.id, req.query.since ?? 0, req.query.limit ?? 100);
      }),
  );
};
