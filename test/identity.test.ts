import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  buildOrg,
  buildUser,
  login,
  randomUscc,
  signedInAdmin,
  TEST_PASSWORD,
  type TestContext,
} from './helpers.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await buildTestApp();
});
afterAll(() => ctx.close());

const count = async (table: string) =>
  Number((await ctx.db.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

describe('sign-in and sessions', () => {
  it('signs in, answers who I am, and signs out', async () => {
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['officer']);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: u.username, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(/HttpOnly/i);
    expect(set).toMatch(/SameSite=Lax/i);
    const cookie = `gongshu_session=${res.cookies[0].value}`;
    const me = await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({
      user: { username: u.username, roles: ['officer'] },
      organisation: { id: org.id },
    });
    expect(me.json().permissions).toEqual(
      expect.arrayContaining(['users.manage', 'clients.manage']),
    );
    expect(me.json().permissions).not.toContain('orgs.manage');
    // the session cookie among others the browser holds is still found
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { cookie: `theme=dark; ${cookie}; lang=zh` },
        })
      ).statusCode,
    ).toBe(200);
    const out = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie },
    });
    expect(out.statusCode).toBe(204);
    expect(out.cookies).toEqual([
      expect.objectContaining({ name: 'gongshu_session', value: '', maxAge: 0, path: '/' }),
    ]); // the browser drops it
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('stores only a hash of the session token, with an expiry', async () => {
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    const cookie = await login(ctx.app, u.username);
    const token = cookie.split('=')[1];
    const { rows } = await ctx.db.query(
      'SELECT token_hash, expires_at FROM sessions WHERE user_id = $1',
      [u.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].token_hash.toString('base64url')).not.toBe(token);
    expect(rows[0].expires_at.getTime()).toBeGreaterThan(Date.now() + 60 * 60_000);
  });

  it('refuses an expired session', async () => {
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    const cookie = await login(ctx.app, u.username);
    await ctx.db.query(
      `UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = $1`,
      [u.id],
    );
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown user alike, and records both failures', async () => {
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    const before = await count(`audit_ledger WHERE action = 'auth.login' AND outcome = 'failure'`);
    const wrong = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: u.username, password: 'wrong-password-1' },
    });
    const unknown = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody-here', password: 'wrong-password-1' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(unknown.json().error.code).toBe('INVALID_CREDENTIALS');
    expect(await count(`audit_ledger WHERE action = 'auth.login' AND outcome = 'failure'`)).toBe(
      before + 2,
    );
  });

  it('locks the account for 15 minutes after 5 failed sign-ins, even for the right password', async () => {
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      codes.push(
        (
          await ctx.app.inject({
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { username: u.username, password: `bad-${i}-password` },
          })
        ).statusCode,
      );
    }
    expect(codes).toEqual([401, 401, 401, 401, 423]);
    const right = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: u.username, password: TEST_PASSWORD },
    });
    expect(right.statusCode).toBe(423);
    expect(right.json().error.code).toBe('ACCOUNT_LOCKED');
    const until = new Date(right.json().error.details.lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 5_000);
    // once the lock has run out the right password works again and the count starts afresh
    await ctx.db.query(
      `UPDATE users SET locked_until = now() - interval '1 second' WHERE id = $1`,
      [u.id],
    );
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: u.username, password: TEST_PASSWORD },
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (await ctx.db.query('SELECT failed_logins FROM users WHERE id = $1', [u.id])).rows[0]
        .failed_logins,
    ).toBe(0);
  });

  it('refuses a disabled user', async () => {
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    await ctx.db.query('UPDATE users SET enabled = false WHERE id = $1', [u.id]);
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: u.username, password: TEST_PASSWORD },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('ACCOUNT_DISABLED');
  });
});

describe('API clients', () => {
  it('shows the key once, stores it hashed, and lets the client act for its organisation', async () => {
    const { cookie } = await signedInAdmin(ctx);
    const org = await buildOrg(ctx.db);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/clients`,
      headers: { cookie },
      payload: { name: '前置机' },
    });
    expect(res.statusCode).toBe(201);
    const { id, key } = res.json();
    expect(key).toMatch(/^gsk_/);
    const stored = (
      await ctx.db.query('SELECT key_hash, key_prefix FROM api_clients WHERE id = $1', [id])
    ).rows[0];
    expect(stored.key_hash.toString('hex')).not.toContain(
      Buffer.from(key.slice(17)).toString('hex'),
    );
    expect(stored.key_hash).toHaveLength(32); // a SHA-256 digest, not the key
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/clients?org=${org.id}`,
      headers: { cookie },
    });
    expect(JSON.stringify(list.json())).not.toContain(key);
    const me = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({
      user: { kind: 'client', username: '前置机' },
      organisation: { id: org.id },
    });
  });

  it('stops a revoked key and an expired key at once', async () => {
    const { cookie } = await signedInAdmin(ctx);
    const org = await buildOrg(ctx.db);
    const make = async () =>
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/v1/orgs/${org.id}/clients`,
          headers: { cookie },
          payload: { name: 'sys' },
        })
      ).json();
    const revoked = await make();
    const expired = await make();
    const me = (key: string) =>
      ctx.app.inject({
        method: 'GET',
        url: '/api/v1/auth/me',
        headers: { authorization: `Bearer ${key}` },
      });
    expect((await me(revoked.key)).statusCode).toBe(200);
    expect(
      (
        await ctx.app.inject({
          method: 'DELETE',
          url: `/api/v1/clients/${revoked.id}`,
          headers: { cookie },
        })
      ).json().status,
    ).toBe('revoked');
    expect((await me(revoked.key)).statusCode).toBe(401);
    await ctx.db.query(
      `UPDATE api_clients SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expired.id],
    );
    expect((await me(expired.key)).statusCode).toBe(401);
    // a key with the right prefix but a wrong secret is refused too
    expect((await me(`${expired.key.slice(0, 17)}${'A'.repeat(43)}`)).statusCode).toBe(401);
  });

  it('refuses an expiry in the past', async () => {
    const { cookie } = await signedInAdmin(ctx);
    const org = await buildOrg(ctx.db);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/clients`,
      headers: { cookie },
      payload: { name: 'x', expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toMatchObject({ field: 'expiresAt', rule: 'future' });
  });
});

describe('organisations and users', () => {
  it('creates an organisation only with a valid 统一社会信用代码', async () => {
    const { cookie } = await signedInAdmin(ctx);
    const good = randomUscc();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    const before = await count('organisations');
    const r1 = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie },
      payload: { name: '示范局', code: bad, type: 'department' },
    });
    expect(r1.statusCode).toBe(400);
    expect(r1.json().error.details).toMatchObject({ field: 'code', rule: 'uscc_check_digit' });
    expect(await count('organisations')).toBe(before);
    const r2 = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie },
      payload: { name: '示范局', code: good, type: 'department' },
    });
    expect(r2.statusCode).toBe(201);
    const dup = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie },
      payload: { name: '另一个', code: good, type: 'department' },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details).toMatchObject({ field: 'code', rule: 'unique' });
  });

  it('refuses a parent that would make a cycle', async () => {
    const { cookie } = await signedInAdmin(ctx);
    const top = await buildOrg(ctx.db);
    const child = await buildOrg(ctx.db, { parentId: top.id });
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${top.id}`,
      headers: { cookie },
      payload: { parentId: child.id },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toMatchObject({ field: 'parentId', rule: 'no_cycle' });
  });

  it('lets a department officer create users of their own body with body roles only', async () => {
    const org = await buildOrg(ctx.db);
    const officer = await buildUser(ctx.db, org.id, ['officer']);
    const cookie = await login(ctx.app, officer.username);
    const ok = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie },
      payload: {
        orgId: org.id,
        username: `new.${officer.username}`,
        displayName: '新用户',
        password: 'Abcdef12',
        roles: ['consumer'],
      },
    });
    expect(ok.statusCode).toBe(201);
    const admin = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie },
      payload: {
        orgId: org.id,
        username: `adm.${officer.username}`,
        displayName: '想当管理员',
        password: 'Abcdef12',
        roles: ['platform_admin'],
      },
    });
    expect(admin.statusCode).toBe(403);
    expect(admin.json().error.details).toMatchObject({ field: 'roles', role: 'platform_admin' });
  });

  it('resets a password: the old one stops working, the generated one is shown once', async () => {
    const { cookie } = await signedInAdmin(ctx);
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    const userCookie = await login(ctx.app, u.username);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/users/${u.id}/password`,
      headers: { cookie },
      payload: {},
    });
    expect(res.statusCode).toBe(200);
    const { password } = res.json();
    expect(password).toHaveLength(16);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { cookie: userCookie },
        })
      ).statusCode,
    ).toBe(401);
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: u.username, password: TEST_PASSWORD },
        })
      ).statusCode,
    ).toBe(401);
    await login(ctx.app, u.username, password);
  });

  it('a disabled user loses their sessions', async () => {
    const { cookie } = await signedInAdmin(ctx);
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    const userCookie = await login(ctx.app, u.username);
    expect(
      (
        await ctx.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${u.id}`,
          headers: { cookie },
          payload: { enabled: false },
        })
      ).json().enabled,
    ).toBe(false);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/auth/me',
          headers: { cookie: userCookie },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('a consumer may not manage users at all', async () => {
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    const cookie = await login(ctx.app, u.username);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/users', headers: { cookie } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('FORBIDDEN');
  });
});

describe('cross-organisation refusal', () => {
  it("answers another body's users and clients exactly like missing ones, and changes nothing", async () => {
    const mine = await buildOrg(ctx.db);
    const theirs = await buildOrg(ctx.db);
    const officer = await buildUser(ctx.db, mine.id, ['officer']);
    const victim = await buildUser(ctx.db, theirs.id, ['consumer']);
    const { cookie: adminCookie } = await signedInAdmin(ctx);
    const theirClient = (
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${theirs.id}/clients`,
        headers: { cookie: adminCookie },
        payload: { name: 'their system' },
      })
    ).json();
    const cookie = await login(ctx.app, officer.username);
    const missing = '00000000-0000-4000-8000-000000000000';
    const call = (method: string, url: string, payload?: object) =>
      ctx.app.inject({ method: method as 'GET', url, headers: { cookie }, payload });
    const ledgerBefore = await count('audit_ledger');

    const pairs: [string, string, object?][] = [
      ['GET', `/api/v1/users/${victim.id}`],
      ['PATCH', `/api/v1/users/${victim.id}`, { enabled: false }],
      ['POST', `/api/v1/users/${victim.id}/password`, { password: 'Hijack123' }],
      ['DELETE', `/api/v1/clients/${theirClient.id}`],
      ['POST', `/api/v1/orgs/${theirs.id}/clients`, { name: 'sneaky' }],
    ];
    for (const [method, url, payload] of pairs) {
      const theirsRes = await call(method, url, payload);
      const missingRes = await call(method, url.replace(/[0-9a-f-]{36}/, missing), payload);
      expect(theirsRes.statusCode, `${method} ${url}`).toBe(404);
      expect(theirsRes.json(), `${method} ${url}`).toEqual(missingRes.json());
    }
    const list = await call('GET', `/api/v1/users?org=${theirs.id}`);
    expect(list.json().items).toEqual([]);
    const clients = await call('GET', `/api/v1/clients?org=${theirs.id}`);
    expect(clients.json().items).toEqual([]);
    const create = await call('POST', '/api/v1/users', {
      orgId: theirs.id,
      username: 'planted.user',
      displayName: '植入',
      password: 'Abcdef12',
      roles: ['consumer'],
    });
    expect(create.statusCode).toBe(400);

    const v = (await ctx.db.query('SELECT enabled FROM users WHERE id = $1', [victim.id])).rows[0];
    expect(v.enabled).toBe(true);
    expect(
      (await ctx.db.query('SELECT revoked_at FROM api_clients WHERE id = $1', [theirClient.id]))
        .rows[0].revoked_at,
    ).toBeNull();
    expect(await count(`api_clients WHERE org_id = '${theirs.id}'`)).toBe(1);
    expect(await count(`users WHERE username = 'planted.user'`)).toBe(0);
    await login(ctx.app, victim.username); // their password is unchanged
    expect(await count(`audit_ledger WHERE action <> 'auth.login'`)).toBe(
      await count(`audit_ledger WHERE seq <= ${ledgerBefore} AND action <> 'auth.login'`),
    );
  });
});
