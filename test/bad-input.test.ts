import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  buildOrg,
  buildUser,
  login,
  randomUscc,
  signedInAdmin,
  type TestContext,
} from './helpers.js';
import { ROLES } from '../src/modules/identity/index.js';

let ctx: TestContext;
let cookie: string;
let orgId: string;
let userId: string;
beforeAll(async () => {
  ctx = await buildTestApp();
  ({ cookie } = await signedInAdmin(ctx));
  orgId = (await buildOrg(ctx.db)).id;
  userId = (await buildUser(ctx.db, orgId, ['consumer'])).id;
});
afterAll(() => ctx.close());

/** Row counts and the ledger's length: what "nothing written" means. */
async function snapshot() {
  const { rows } = await ctx.db.query(`SELECT
    (SELECT count(*) FROM organisations) o, (SELECT count(*) FROM users) u, (SELECT count(*) FROM api_clients) c,
    (SELECT count(*) FROM calendar_overrides) d, (SELECT max(seq) FROM audit_ledger) a,
    (SELECT string_agg(name || code || type, ',' ORDER BY id) FROM organisations) org_state,
    (SELECT string_agg(display_name || enabled || array_to_string(roles, '+') || password_hash, ',' ORDER BY id) FROM users) user_state`);
  return rows[0];
}

describe('bad input', () => {
  const cases: [string, string, () => string, () => unknown, string, string][] = [
    // [label, method, url, body, field, rule]
    [
      'org: missing name',
      'POST',
      () => '/api/v1/orgs',
      () => ({ code: randomUscc(), type: 'department' }),
      'name',
      'required',
    ],
    [
      'org: unknown property',
      'POST',
      () => '/api/v1/orgs',
      () => ({ name: 'x', code: randomUscc(), type: 'department', admin: true }),
      'admin',
      'unknown_property',
    ],
    [
      'org: bad type',
      'POST',
      () => '/api/v1/orgs',
      () => ({ name: 'x', code: randomUscc(), type: 'ministry' }),
      'type',
      'enum',
    ],
    [
      'org: malformed code',
      'POST',
      () => '/api/v1/orgs',
      () => ({ name: 'x', code: '123', type: 'department' }),
      'code',
      'pattern',
    ],
    [
      'org: wrong check digit',
      'POST',
      () => '/api/v1/orgs',
      () => ({ name: 'x', code: '91350100M000100Y44', type: 'department' }),
      'code',
      'uscc_check_digit',
    ],
    [
      'org: unknown parent',
      'POST',
      () => '/api/v1/orgs',
      () => ({
        name: 'x',
        code: randomUscc(),
        type: 'department',
        parentId: '00000000-0000-4000-8000-000000000000',
      }),
      'parentId',
      'exists',
    ],
    [
      'org patch: empty',
      'PATCH',
      () => `/api/v1/orgs/${orgId}`,
      () => ({}),
      'body',
      'minProperties',
    ],
    [
      'org patch: name too long',
      'PATCH',
      () => `/api/v1/orgs/${orgId}`,
      () => ({ name: '长'.repeat(201) }),
      'name',
      'maxLength',
    ],
    [
      'user: bad username',
      'POST',
      () => '/api/v1/users',
      () => ({
        orgId,
        username: 'Has Space',
        displayName: 'x',
        password: 'Abcdef12',
        roles: ['consumer'],
      }),
      'username',
      'pattern',
    ],
    [
      'user: short password',
      'POST',
      () => '/api/v1/users',
      () => ({
        orgId,
        username: 'short.pw',
        displayName: 'x',
        password: 'Ab1',
        roles: ['consumer'],
      }),
      'password',
      'minLength',
    ],
    [
      'user: password without digits',
      'POST',
      () => '/api/v1/users',
      () => ({
        orgId,
        username: 'nodigit',
        displayName: 'x',
        password: 'Abcdefghij',
        roles: ['consumer'],
      }),
      'password',
      'letters_and_digits',
    ],
    [
      'user: unknown role',
      'POST',
      () => '/api/v1/users',
      () => ({
        orgId,
        username: 'badrole',
        displayName: 'x',
        password: 'Abcdef12',
        roles: ['king'],
      }),
      'roles.0',
      'enum',
    ],
    [
      'user: no roles',
      'POST',
      () => '/api/v1/users',
      () => ({ orgId, username: 'noroles', displayName: 'x', password: 'Abcdef12', roles: [] }),
      'roles',
      'minItems',
    ],
    [
      'user: org id not a uuid',
      'POST',
      () => '/api/v1/users',
      () => ({
        orgId: 'gaj',
        username: 'x1',
        displayName: 'x',
        password: 'Abcdef12',
        roles: ['consumer'],
      }),
      'orgId',
      'format',
    ],
    [
      'user: bad email',
      'POST',
      () => '/api/v1/users',
      () => ({
        orgId,
        username: 'mail',
        displayName: 'x',
        password: 'Abcdef12',
        roles: ['consumer'],
        email: 'not-mail',
      }),
      'email',
      'format',
    ],
    [
      'user patch: enabled not boolean',
      'PATCH',
      () => `/api/v1/users/${userId}`,
      () => ({ enabled: 'nope' }),
      'enabled',
      'type',
    ],
    [
      'user patch: sneaky password',
      'PATCH',
      () => `/api/v1/users/${userId}`,
      () => ({ password_hash: 'x' }),
      'password_hash',
      'unknown_property',
    ],
    [
      'password reset: too short',
      'POST',
      () => `/api/v1/users/${userId}/password`,
      () => ({ password: 'a1' }),
      'password',
      'minLength',
    ],
    [
      'user id: not a uuid',
      'PATCH',
      () => '/api/v1/users/42',
      () => ({ enabled: false }),
      'id',
      'format',
    ],
    [
      'client: no name',
      'POST',
      () => `/api/v1/orgs/${orgId}/clients`,
      () => ({}),
      'name',
      'required',
    ],
    [
      'client: bad expiry',
      'POST',
      () => `/api/v1/orgs/${orgId}/clients`,
      () => ({ name: 'x', expiresAt: 'tomorrow' }),
      'expiresAt',
      'format',
    ],
    [
      'client: unknown role',
      'POST',
      () => `/api/v1/orgs/${orgId}/clients`,
      () => ({ name: 'x', roles: ['root'] }),
      'roles.0',
      'enum',
    ],
    [
      'calendar: bad day',
      'PUT',
      () => '/api/v1/calendar/overrides/2025-13-40',
      () => ({ kind: 'holiday' }),
      'day',
      'format',
    ],
    [
      'calendar: bad kind',
      'PUT',
      () => '/api/v1/calendar/overrides/2025-10-10',
      () => ({ kind: 'weekend' }),
      'kind',
      'enum',
    ],
    [
      'login: missing password',
      'POST',
      () => '/api/v1/auth/login',
      () => ({ username: 'admin' }),
      'password',
      'required',
    ],
    [
      'login: extra field',
      'POST',
      () => '/api/v1/auth/login',
      () => ({ username: 'admin', password: 'x', remember: true }),
      'remember',
      'unknown_property',
    ],
  ];

  for (const [label, method, url, body, field, rule] of cases) {
    it(`${label} → 400 naming ${field} (${rule}), nothing written`, async () => {
      const before = await snapshot();
      const res = await ctx.app.inject({
        method: method as 'POST',
        url: url(),
        headers: { cookie },
        payload: body() as object,
      });
      expect(res.statusCode, res.body).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details).toMatchObject({ field, rule });
      expect(error.message).toBeTruthy();
      expect(await snapshot()).toEqual(before);
    });
  }

  it('answers in English when asked', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie, 'accept-language': 'en-US,en;q=0.9' },
      payload: {},
    });
    expect(res.json().error.message).toBe('The request is not valid');
    const zh = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie },
      payload: {},
    });
    expect(zh.json().error.message).toBe('请求参数不符合要求');
  });

  it('rejects malformed JSON and unsupported content types with the error shape', async () => {
    const bad = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('BAD_REQUEST');
    const xml = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie, 'content-type': 'application/xml' },
      payload: '<org/>',
    });
    expect(xml.statusCode).toBe(415);
    expect(xml.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('every JSON write route rejects an unknown property with a 400, whatever route it is', async () => {
    // a user holding every role, so that no route refuses before looking at the body
    const everyone = await buildUser(ctx.db, orgId, [...ROLES]);
    const cookie = await login(ctx.app, everyone.username);
    const writes = ctx.app.routeTable.filter(
      (r) =>
        ['POST', 'PUT', 'PATCH'].includes(r.method) &&
        (r.body as { type?: string } | undefined)?.type === 'object',
    );
    expect(writes.length).toBeGreaterThanOrEqual(8);
    for (const r of writes) {
      const url = r.url.replace(':id', orgId).replace(':day', '2029-05-05');
      const res = await ctx.app.inject({
        method: r.method as 'POST',
        url,
        headers: { cookie },
        payload: { definitelyNotAField: 1 },
      });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res.json().error.code, `${r.method} ${r.url}`).toBe('VALIDATION_FAILED');
    }
  });
});
