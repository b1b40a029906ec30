import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/db/pool.js';
import { createCalendar, toDay } from '../src/lib/working-days.js';
import { getProfile } from '../src/modules/profiles/index.js';
import { runSharingTimers } from '../src/modules/sharing/index.js';
import { buildTestApp, type TestContext } from './helpers.js';
import { publishedResource, sharingCast } from './factories/sharing.js';

let ctx: TestContext;
let cast: Awaited<ReturnType<typeof sharingCast>>;
beforeAll(async () => {
  ctx = await buildTestApp();
  cast = await sharingCast(ctx);
});
afterAll(() => ctx.close());

async function pendingRequest(): Promise<string> {
  const res = await publishedResource(ctx, cast, { shareType: 'conditional' });
  const r = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/share-requests',
    headers: { cookie: cast.cookies.consumer },
    payload: {
      resourceId: res.id,
      fields: ['id_number'],
      purpose: '稽查',
      scenario: '核对',
      legalBasis: '《税收征收管理法》',
      until: '2099-01-01',
      delivery: 'api',
    },
  });
  return r.json().id;
}

describe('sharing timers', () => {
  it('remind the day before, mark overdue after, and fire once even when two instances run them at the same moment', async () => {
    const cal = createCalendar();
    const today = toDay(new Date());
    const dueSoon = await pendingRequest();
    const late = await pendingRequest();
    await ctx.db.query(
      `UPDATE share_steps SET due = $2 WHERE request_id = $1 AND status = 'pending'`,
      [dueSoon, cal.nextWorkingDay(today)],
    );
    await ctx.db.query(
      `UPDATE share_steps SET due = '2020-01-02' WHERE request_id = $1 AND status = 'pending'`,
      [late],
    );

    // two instances: separate connection pools against one database, running at once
    const other = createDb(ctx.url, 5);
    const profile = getProfile('lingang-2024');
    try {
      const [a, b] = await Promise.all([
        runSharingTimers(ctx.db, profile, 'standard'),
        runSharingTimers(other, profile, 'standard'),
      ]);
      expect(a.reminded + b.reminded).toBe(1);
      expect(a.overdue + b.overdue).toBe(1);
      const again = await runSharingTimers(other, profile, 'standard');
      expect(again.reminded + again.overdue).toBe(0);
    } finally {
      await other.end();
    }
    const notes = (
      await ctx.db.query(`SELECT kind, subject_id, role FROM notifications ORDER BY kind`)
    ).rows;
    expect(notes).toEqual([
      { kind: 'share.overdue', subject_id: late, role: 'reviewer' },
      { kind: 'share.reminder', subject_id: dueSoon, role: 'reviewer' },
    ]);
    // the authority sees the overdue request; its reviewers see it on their home page
    const r = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/share-requests/${late}`,
        headers: { cookie: cast.cookies.reviewer },
      })
    ).json();
    expect(r.overdue).toBe(true);
    expect(r.steps[0].overdue).toBe(true);
    const tasks = (
      await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/workbench/tasks',
        headers: { cookie: cast.cookies.reviewer },
      })
    ).json().items;
    expect(tasks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'share.overdue',
          count: 1,
          link: '/sharing/review?overdue=1',
        }),
        expect.objectContaining({ kind: 'share.review', count: 2 }),
      ]),
    );
    // and list it, whoever's step it waits at
    const listed = (
      await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/share-requests?role=all&status=pending&overdue=true',
        headers: { cookie: cast.cookies.reviewer },
      })
    ).json();
    expect(listed.items.map((i: { id: string }) => i.id)).toEqual([late]);
    const onTime = (
      await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/share-requests?role=all&status=pending&overdue=false',
        headers: { cookie: cast.cookies.reviewer },
      })
    ).json();
    expect(onTime.items.map((i: { id: string }) => i.id)).toContain(dueSoon);
    expect(onTime.items.map((i: { id: string }) => i.id)).not.toContain(late);
  });

  it('survive a restart: deadlines live in the database, so a fresh app finds them', async () => {
    const id = await pendingRequest();
    await ctx.db.query(`UPDATE share_steps SET due = '2021-03-01' WHERE request_id = $1`, [id]);
    const restarted = createDb(ctx.url, 2);
    try {
      expect(
        (await runSharingTimers(restarted, getProfile('lingang-2024'), 'standard')).overdue,
      ).toBe(1);
    } finally {
      await restarted.end();
    }
  });
});
