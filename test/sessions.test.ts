import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/db/pool.js';
import { buildApp, type App } from '../src/server/app.js';
import {
  buildOrg,
  buildTestApp,
  buildUser,
  login,
  signedInAdmin,
  TEST_PASSWORD,
  type TestContext,
} from './helpers.js';

// Two instances on one database: every change is made through `here` and its effect on a cookie
// is asked of `there`.
let ctx: TestContext;
let here: App;
let thereDb: Db;
let there: App;
let admin: string;

beforeAll(async () => {
  ctx = await buildTestApp();
  here = ctx.app;
  thereDb = createDb(ctx.url, 4);
  there = await buildApp({ config: ctx.config, db: thereDb, logger: false });
  await there.ready();
  admin = (await signedInAdmin(ctx)).cookie;
});
afterAll(async () => {
  await there.close();
  await thereDb.end();
  await ctx.close();
});

const meThere = async (cookie: string) =>
  (await there.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode;

async function person(roles: ('officer' | 'consumer')[] = ['consumer']) {
  const org = await buildOrg(ctx.db);
  return buildUser(ctx.db, org.id, roles);
}

/** Lets `by` pass for the sessions of `userId`, as if the clock had moved on. */
async function timePasses(userId: string, by: string) {
  await ctx.db.query(
    `UPDATE sessions SET created_at = created_at - $2::interval,
       last_seen_at = last_seen_at - $2::interval, expires_at = expires_at - $2::interval
     WHERE user_id = $1`,
    [userId, by],
  );
}

describe('a session ends in every instance', () => {
  it('on sign-out', async () => {
    const u = await person();
    const cookie = await login(here, u.username);
    expect(await meThere(cookie)).toBe(200);
    const out = await here.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie },
    });
    expect(out.statusCode).toBe(204);
    expect(await meThere(cookie)).toBe(401);
  });

  it('on a change of one’s own password: the other sessions end, the one used is renewed under a new cookie', async () => {
    const u = await person();
    const laptop = await login(here, u.username);
    const phone = await login(there, u.username);
    expect(await meThere(laptop)).toBe(200);
    expect(await meThere(phone)).toBe(200);

    const wrong = await here.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: laptop },
      payload: { currentPassword: 'not-my-password-1', newPassword: 'New-pass-2027' },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().error.details).toMatchObject({ field: 'currentPassword' });
    expect(await meThere(phone)).toBe(200); // a wrong try changes nothing

    const changed = await here.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: laptop },
      payload: { currentPassword: TEST_PASSWORD, newPassword: 'New-pass-2027' },
    });
    expect(changed.statusCode, changed.body).toBe(204);
    const renewed = changed.cookies.find((c) => c.name === 'gongshu_session');
    expect(renewed?.httpOnly).toBe(true);
    expect(`gongshu_session=${renewed!.value}`).not.toBe(laptop);
    expect(await meThere(phone)).toBe(401);
    expect(await meThere(laptop)).toBe(401); // a copy of the old cookie is worthless
    expect(await meThere(`gongshu_session=${renewed!.value}`)).toBe(200);
    // the old password no longer signs in, the new one does
    await expect(login(there, u.username)).rejects.toThrow(/401/);
    await login(there, u.username, 'New-pass-2027');
  });

  it('on a password reset by an administrator', async () => {
    const u = await person();
    const cookie = await login(here, u.username);
    const reset = await here.inject({
      method: 'POST',
      url: `/api/v1/users/${u.id}/password`,
      headers: { cookie: admin },
      payload: {},
    });
    expect(reset.statusCode).toBe(200);
    expect(await meThere(cookie)).toBe(401);
  });

  it('on disabling the person', async () => {
    const u = await person();
    const cookie = await login(here, u.username);
    const res = await here.inject({
      method: 'PATCH',
      url: `/api/v1/users/${u.id}`,
      headers: { cookie: admin },
      payload: { enabled: false },
    });
    expect(res.statusCode).toBe(200);
    expect(await meThere(cookie)).toBe(401);
  });

  it('on a change of roles, and not on other changes to the person', async () => {
    const u = await person(['consumer']);
    const cookie = await login(here, u.username);
    const patch = (payload: object) =>
      here.inject({
        method: 'PATCH',
        url: `/api/v1/users/${u.id}`,
        headers: { cookie: admin },
        payload,
      });
    expect((await patch({ displayName: '新名字', roles: ['consumer'] })).statusCode).toBe(200);
    expect(await meThere(cookie)).toBe(200);
    expect((await patch({ roles: ['consumer', 'officer'] })).statusCode).toBe(200);
    expect(await meThere(cookie)).toBe(401);
    // signed in again, the person has the new grant
    const again = await login(there, u.username);
    const me = await there.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: again },
    });
    expect(me.json().user.roles).toEqual(['consumer', 'officer']);
  });
});

describe('a session’s lifetime', () => {
  it('ends after 30 minutes unused', async () => {
    expect(ctx.config.sessionIdleMinutes).toBe(30);
    const u = await person();
    const cookie = await login(here, u.username);
    await timePasses(u.id, '29 minutes');
    expect(await meThere(cookie)).toBe(200); // used: the idle clock starts again
    await timePasses(u.id, '29 minutes');
    expect(await meThere(cookie)).toBe(200);
    await timePasses(u.id, '31 minutes');
    expect(await meThere(cookie)).toBe(401);
    expect(await meThere(cookie)).toBe(401);
  });

  it('is never renewed past 12 hours after sign-in, however busy', async () => {
    expect(ctx.config.sessionMaxHours).toBe(12);
    const u = await person();
    const res = await here.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: u.username, password: TEST_PASSWORD },
    });
    const set = res.cookies.find((c) => c.name === 'gongshu_session')!;
    const hours = ((set.expires as Date).getTime() - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9); // the browser drops the cookie then too
    expect(hours).toBeLessThanOrEqual(12);
    const cookie = `gongshu_session=${set.value}`;
    // used every 20 minutes, on either instance, for 11 h 40 min
    for (let i = 1; i <= 35; i++) {
      await timePasses(u.id, '20 minutes');
      expect(await (i % 2 ? meThere : meHere)(cookie), `after ${i * 20} minutes`).toBe(200);
    }
    await timePasses(u.id, '20 minutes');
    expect(await meThere(cookie)).toBe(401);
    expect(await meHere(cookie)).toBe(401);
  });
});

const meHere = async (cookie: string) =>
  (await here.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode;
