/**
 * Limits a platform holding a city's data keeps under load (issue 26, item 6): statements of a
 * request are cut after a while, bodies and uploads have a size cap, lists a page size cap, and
 * callers a request rate; each refusal answers in the platform's error shape.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../src/lib/errors.js';
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
