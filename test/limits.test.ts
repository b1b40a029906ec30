/**
 * Limits a platform holding a city's data keeps under load (issue 26, item 6): statements of a
 * request are cut after a while, bodies and uploads have a size cap, lists a page size cap, and
 * callers a request rate; each refusal answers in the platform's error shape.
 */
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/lib/errors.js';
import type { PoolEntry } from '../src/modules/pool/index.js';
import { enterprise, enterpriseCsv, enterpriseResource, poolResource } from './factories/pool.js';
import { buildOrg, buildTestApp, buildUser, login, type TestContext } from './helpers.js';

const errorShape = (code: keyof typeof ERROR_CODES) => ({
  error: { code, message: ERROR_CODES[code].zh, details: expect.any(Object) },
});

describe('statement timeout', () => {
  it('starts every connection of the request pools with statement_timeout, and none on the stream pool', async () => {
    const ctx = await buildTestApp();
    try {
      const show = async (db: pg.Pool, n: number) => {
        // hold n connections at once, so each answers for itself
        const clients = await Promise.all(Array.from({ length: n }, () => db.connect()));
        try {
          return await Promise.all(
            clients.map(async (c) => (await c.query('SHOW statement_timeout')).rows[0]),
          );
        } finally {
          for (const c of clients) c.release();
        }
      };
      const everyOne = (value: string, n: number) =>
        Array.from({ length: n }, () => ({ statement_timeout: value }));
      expect(ctx.config.statementTimeoutMs).toBe(30_000);
      expect(await show(ctx.app.db, 4)).toEqual(everyOne('30s', 4));
      expect(await show(ctx.app.readPool, 4)).toEqual(everyOne('30s', 4));
      // reads keep their lock timeout too
      expect((await ctx.app.readPool.query('SHOW lock_timeout')).rows[0].lock_timeout).toBe('3s');
      expect(await show(ctx.app.streams, 2)).toEqual(everyOne('0', 2));
    } finally {
      await ctx.close();
    }
  });

  describe('a slow statement of a request', () => {
    let ctx: TestContext;
    let cookie: string;
    let systemId: string;
    beforeAll(async () => {
      ctx = await buildTestApp({ statementTimeoutMs: 400 });
      const org = await buildOrg(ctx.db);
      const officer = await buildUser(ctx.db, org.id, ['officer']);
      cookie = await login(ctx.app, officer.username);
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/systems',
        headers: { cookie },
        payload: { name: '慢系统', owner: '信息科', constructionStage: 'online' },
      });
      expect(res.statusCode).toBe(201);
      systemId = res.json().id;
    });
    afterAll(() => ctx.close());

    it('is cancelled on the pool connection itself', async () => {
      await expect(ctx.app.db.query('SELECT pg_sleep(5)')).rejects.toMatchObject({
        code: '57014',
      });
      await expect(ctx.app.readPool.query('SELECT pg_sleep(5)')).rejects.toMatchObject({
        code: '57014',
      });
    });

    it('answers 503 QUERY_TIMEOUT in the error shape, with no database text, when a change runs too long', async () => {
      // every change of a system now takes 5 s in the database
      await ctx.db.query(`
        CREATE FUNCTION slow_down() RETURNS trigger LANGUAGE plpgsql AS
          $$ BEGIN PERFORM pg_sleep(5); RETURN NEW; END $$;
        CREATE TRIGGER slow_down BEFORE UPDATE ON systems FOR EACH ROW EXECUTE FUNCTION slow_down()`);
      try {
        const started = Date.now();
        const res = await ctx.app.inject({
          method: 'PATCH',
          url: `/api/v1/systems/${systemId}`,
          headers: { cookie },
          payload: { description: '改' },
        });
        expect(Date.now() - started).toBeLessThan(4000);
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual(errorShape('QUERY_TIMEOUT'));
        expect(res.body).not.toMatch(/statement|cancel|pg_sleep|slow_down/i);
        // and nothing changed
        const { rows } = await ctx.db.query('SELECT description FROM systems WHERE id = $1', [
          systemId,
        ]);
        expect(rows[0].description).toBeNull();
      } finally {
        await ctx.db.query('DROP TRIGGER slow_down ON systems; DROP FUNCTION slow_down()');
      }
    });

    it('answers 503 QUERY_TIMEOUT when a read waits too long, before its lock timeout', async () => {
      const locker = new pg.Client({ connectionString: ctx.url });
      await locker.connect();
      try {
        await locker.query('BEGIN');
        await locker.query('LOCK TABLE systems IN ACCESS EXCLUSIVE MODE');
        const started = Date.now();
        const res = await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/systems',
          headers: { cookie },
        });
        // the statement timeout (0.4 s) came before the reads' lock timeout (3 s)
        expect(Date.now() - started).toBeLessThan(2500);
        expect(res.statusCode).toBe(503);
        expect(res.json()).toEqual(errorShape('QUERY_TIMEOUT'));
      } finally {
        await locker.query('ROLLBACK');
        await locker.end();
      }
      const after = await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/systems',
        headers: { cookie },
      });
      expect(after.statusCode).toBe(200);
    });
  });
});

describe('body size caps', () => {
  let ctx: TestContext;
  let cookie: string;
  let entry: PoolEntry;
  const LIMIT = 256 * 1024;
  beforeAll(async () => {
    ctx = await buildTestApp({ uploadLimitBytes: LIMIT });
    const org = await buildOrg(ctx.db);
    cookie = await login(ctx.app, (await buildUser(ctx.db, org.id, ['officer'])).username);
    entry = await poolResource(ctx.db, enterpriseResource(org.id));
  });
  afterAll(async () => {
    // the refused upload's connection may still be open on the client's side
    ctx.app.server.closeAllConnections();
    await ctx.close();
  });

  const rows = (n: number) => Array.from({ length: n }, (_, i) => enterprise(i + 1));
  // ~100 bytes a row: about 400 KB, past the 256 KB cap
  const big = enterpriseCsv(rows(4000));
  const upload = (payload: string | Buffer | Readable, contentType = 'text/csv') =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${entry.resourceId}/batches?mode=upsert`,
      headers: { cookie, 'content-type': contentType },
      payload,
    });
  const pooled = async () =>
    (await ctx.db.query(`SELECT count(*)::int AS n FROM pool."${entry.tableName}"`)).rows[0].n;
  const batches = async () =>
    (await ctx.db.query(`SELECT status, error FROM batches ORDER BY started_at`)).rows;

  it('refuses a JSON body over 10 MB with 413 in the error shape, and creates nothing', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/systems',
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({
        name: '大系统',
        owner: '信息科',
        constructionStage: 'online',
        description: 'x'.repeat(11 * 1024 * 1024),
      }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual(errorShape('PAYLOAD_TOO_LARGE'));
    expect((await ctx.db.query('SELECT count(*)::int AS n FROM systems')).rows[0].n).toBe(0);
  });

  it('refuses a spreadsheet import over 10 MB with 413 in the error shape', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/catalog/import',
      headers: {
        cookie,
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
      payload: Buffer.alloc(11 * 1024 * 1024, 1),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual(errorShape('PAYLOAD_TOO_LARGE'));
  });

  it('refuses an upload whose length says it is past the cap before reading it', async () => {
    expect(Buffer.byteLength(big)).toBeGreaterThan(LIMIT);
    const res = await upload(big);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual(errorShape('PAYLOAD_TOO_LARGE'));
    expect(res.json().error.details).toEqual({ limitBytes: LIMIT });
    expect(await batches()).toEqual([]);
    expect(await pooled()).toBe(0);
  });

  it('stops a streamed upload of unknown length at the cap: 413, the batch failed, nothing pooled', async () => {
    // over a real connection, chunked: the client reads the answer while it is still sending
    const base = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const res = await fetch(`${base}/api/v1/resources/${entry.resourceId}/batches?mode=upsert`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from([Buffer.from(big)])) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(errorShape('PAYLOAD_TOO_LARGE'));
    expect(await batches()).toEqual([
      { status: 'failed', error: expect.objectContaining({ reason: 'too_large' }) },
    ]);
    expect(await pooled()).toBe(0);
  });

  it('stops a multipart upload at the cap the same way', async () => {
    const boundary = `----gongshu${Date.now()}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(big),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await upload(body, `multipart/form-data; boundary=${boundary}`);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual(errorShape('PAYLOAD_TOO_LARGE'));
    expect(await pooled()).toBe(0);
  });

  it('loads an upload under the cap', async () => {
    const res = await upload(Readable.from([Buffer.from(enterpriseCsv(rows(100)))]));
    expect(res.statusCode).toBe(201);
    expect(await pooled()).toBe(100);
  });
});
