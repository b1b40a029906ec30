import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  buildOrg,
  buildUser,
  login,
  signedInAdmin,
  type TestContext,
} from './helpers.js';

let ctx: TestContext;
let cookie: string;
beforeAll(async () => {
  ctx = await buildTestApp({ profile: 'huizhou-2023' });
  ({ cookie } = await signedInAdmin(ctx));
});
afterAll(() => ctx.close());

const deadline = async (from: string, days: number) =>
  (
    await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/calendar/deadline?from=${from}&days=${days}`,
      headers: { cookie },
    })
  ).json().deadline;

describe('working-day deadlines', () => {
  it('skips the National Day holiday: 1 working day after 2025-09-30 is 2025-10-09', async () => {
    expect(await deadline('2025-09-30', 1)).toBe('2025-10-09');
  });

  it('counts the make-up Saturday 2025-10-11 as a working day', async () => {
    expect(await deadline('2025-10-10', 1)).toBe('2025-10-11');
  });

  it('crosses Spring Festival 2026: 3 working days after 2026-02-12 is 2026-02-24', async () => {
    // 02-13 (Fri) and 02-14 (make-up Saturday) work, 02-15..23 are the holiday
    expect(await deadline('2026-02-12', 3)).toBe('2026-02-24');
  });

  it('follows an override the platform admin sets, and forgets it when removed', async () => {
    expect(await deadline('2027-06-01', 1)).toBe('2027-06-02');
    const put = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2027-06-02',
      headers: { cookie },
      payload: { kind: 'holiday', note: '临时休假' },
    });
    expect(put.statusCode).toBe(200);
    expect(await deadline('2027-06-01', 1)).toBe('2027-06-03');
    expect(
      (
        await ctx.app.inject({
          method: 'DELETE',
          url: '/api/v1/calendar/overrides/2027-06-02',
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(204);
    expect(await deadline('2027-06-01', 1)).toBe('2027-06-02');
    expect(
      (
        await ctx.app.inject({
          method: 'DELETE',
          url: '/api/v1/calendar/overrides/2027-06-02',
          headers: { cookie },
        })
      ).statusCode,
    ).toBe(404);
  });

  it('lets only the platform admin change the calendar', async () => {
    const org = await buildOrg(ctx.db);
    const officer = await buildUser(ctx.db, org.id, ['officer']);
    const c = await login(ctx.app, officer.username);
    const res = await ctx.app.inject({
      method: 'PUT',
      url: '/api/v1/calendar/overrides/2027-06-02',
      headers: { cookie: c },
      payload: { kind: 'holiday' },
    });
    expect(res.statusCode).toBe(403);
    expect(
      (await ctx.db.query('SELECT count(*)::int AS n FROM calendar_overrides')).rows[0].n,
    ).toBe(0);
  });
});

describe('regulation profile', () => {
  it('serves the active profile with its deadlines in working days', async () => {
    const res = (
      await ctx.app.inject({ method: 'GET', url: '/api/v1/profile', headers: { cookie } })
    ).json();
    expect(res.id).toBe('huizhou-2023');
    expect(res.shareTypes.map((t: { code: string }) => t.code)).toEqual([
      'unconditional',
      'conditional',
      'not-shared',
    ]);
    expect(res.workflow.conditional).toMatchObject({ answerDays: 2, deliverDays: 3 });
  });
});
