import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/server/app.js';
import { buildTestApp, type TestContext } from './helpers.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await buildTestApp({ loginRateLimit: 5 });
});
afterAll(() => ctx.close());

const attempt = (app = ctx.app) =>
  app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username: 'nobody', password: 'whatever-1' },
  });

describe('sign-in rate limit', () => {
  it('answers 429 after the limit, counted in PostgreSQL so a second instance sees the same count', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await attempt()).statusCode);
    expect(codes).toEqual([401, 401, 401, 401]);
    // a second instance of the app on the same database shares the counter
    const second = await buildApp({ config: ctx.config, db: ctx.db, logger: false });
    try {
      expect((await attempt(second)).statusCode).toBe(401);
      const limited = await attempt(second);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect((await attempt()).statusCode).toBe(429);
    } finally {
      await second.close();
    }
  });

  it('does not limit other routes', async () => {
    for (let i = 0; i < 8; i++)
      expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/health' })).statusCode).toBe(200);
  });
});
