import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, buildUser, login, type TestContext } from './helpers.js';

const EXPECTED_PUBLIC = new Set([
  'POST /api/v1/auth/login',
  'GET /api/v1/health',
  'GET /api/openapi.json',
  'GET /assets/*',
]);

describe('deny by default', () => {
  let ctx: TestContext;
  let expiredCookie: string;

  beforeAll(async () => {
    ctx = await buildTestApp();
    const org = await buildOrg(ctx.db, { type: 'authority' });
    const admin = await buildUser(ctx.db, org.id, ['platform_admin']);
    expiredCookie = await login(ctx.app, admin.username);
    await ctx.db.query(`UPDATE sessions SET expires_at = now() - interval '1 second'`);
  });
  afterAll(() => ctx.close());

  const concrete = (url: string) =>
    url
      .replace(/:[A-Za-z]+/g, (p) => (p === ':day' ? '2026-01-05' : crypto.randomUUID()))
      .replace('*', 'x');

  it('declares an access policy on every route, and only the expected ones are public', () => {
    const routes = ctx.app.routeTable;
    expect(routes.length).toBeGreaterThan(15);
    const pub = routes
      .filter((r) => r.access === 'public' && !r.url.startsWith('/api/docs'))
      .map((r) => `${r.method} ${r.url}`);
    for (const p of pub) expect(EXPECTED_PUBLIC, p).toContain(p);
    for (const p of EXPECTED_PUBLIC) if (!p.startsWith('GET /assets')) expect(pub).toContain(p);
  });

  for (const [label, headers] of [
    ['no credentials', () => ({})],
    ['an expired session', () => ({ cookie: expiredCookie })],
    ['a forged API key', () => ({ authorization: `Bearer gsk_AAAAAAAAAAAA_${'x'.repeat(43)}` })],
    ['a garbage bearer token', () => ({ authorization: 'Bearer nope' })],
  ] as const) {
    it(`answers 401 with ${label} on every non-public route`, async () => {
      const protectedRoutes = ctx.app.routeTable.filter((r) => r.access !== 'public');
      for (const r of protectedRoutes) {
        const res = await ctx.app.inject({
          method: r.method as 'GET',
          url: concrete(r.url),
          headers: headers(),
          payload: ['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined,
        });
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
        expect(res.json().error.code).toBe('UNAUTHENTICATED');
      }
    });
  }

  it('gives every API route a response schema', () => {
    const api = ctx.app.routeTable.filter((r) => r.url.startsWith('/api/v1/'));
    const without = api
      .filter(
        (r) => !r.response || !Object.keys(r.response as object).some((s) => s.startsWith('2')),
      )
      .map((r) => `${r.method} ${r.url}`);
    expect(without).toEqual([]);
  });

  it('serves the OpenAPI document and its UI without a session', async () => {
    const doc = await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toContain('/api/v1/users');
    const ui = await ctx.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.body).toContain('swagger');
  });

  it('sets security headers and echoes a request id, on answers and refusals alike', async () => {
    for (const url of ['/api/v1/health', '/api/v1/users']) {
      const res = await ctx.app.inject({
        method: 'GET',
        url,
        headers: { 'x-request-id': 'trace-123' },
      });
      expect(res.headers['x-request-id']).toBe('trace-123');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      // API answers are data: nothing loads from them, nothing frames them, nobody caches them.
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none';frame-ancestors 'none'",
      );
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const denied = await ctx.app.inject({ method: 'GET', url: '/api/v1/users' });
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['x-request-id']).toEqual(expect.any(String));
  });

  it('gives the portal pages a policy that allows only their own scripts', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cache-control']).toBeUndefined();
  });

  it('answers unknown API paths with the error shape', async () => {
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({
      error: { code: 'NOT_FOUND', message: expect.any(String), details: {} },
    });
  });

  it('refuses to start when a route declares no access policy', async () => {
    const { buildApp } = await import('../src/server/app.js');
    const app = await buildApp({ config: ctx.config, db: ctx.db, logger: false });
    expect(() => app.get('/api/v1/undeclared', async () => 'x')).toThrow(
      /declares no access policy/,
    );
    await app.close();
  });
});
