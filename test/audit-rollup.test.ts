import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rollUpHours } from '../src/modules/audit/index.js';
import { buildTestApp, type TestContext } from './helpers.js';
import { person, publishedResource, sharingCast } from './factories/sharing.js';

let ctx: TestContext;
let cast: Awaited<ReturnType<typeof sharingCast>>;
let channelId: string;
const api = (cookie: string, method: string, url: string, payload?: object) =>
  ctx.app.inject({ method: method as 'POST', url, headers: { cookie }, payload });

/**
 * A ledger entry written straight into the table, dated `ago` before now (the chain's own entries
 * all carry the present).
 */
async function pastEntry(
  ago: string,
  action: string,
  outcome: string,
  target: string,
  rows?: number,
): Promise<void> {
  await ctx.db.query(
    `INSERT INTO audit_ledger (seq, at, actor_kind, org_id, action, target_type, target_id, outcome, details, algorithm, prev_hash, hash)
     VALUES (1000000000 + nextval('past_seq'), now() - $1::interval, 'client', $2, $3, 'channel', $4, $5, $6, 'sha256', '', '')`,
    [ago, cast.consumer.id, action, target, outcome, rows === undefined ? {} : { rows }],
  );
}

beforeAll(async () => {
  ctx = await buildTestApp();
  cast = await sharingCast(ctx);
  const res = await publishedResource(ctx, cast, {
    shareType: 'unconditional',
    rows: [person(1), person(2), person(3)],
  });
  const req = (
    await api(cast.cookies.consumer, 'POST', '/api/v1/share-requests', {
      resourceId: res.id,
      fields: ['id_number', 'name'],
      purpose: '核定税额',
      scenario: '个税汇算',
      legalBasis: '《税收征收管理法》',
      until: '2099-12-31',
      delivery: 'api',
    })
  ).json();
  await api(cast.cookies.admin, 'POST', `/api/v1/share-requests/${req.id}/decisions`, {
    decision: 'approve',
  });
  channelId = (
    await api(cast.cookies.consumer, 'POST', `/api/v1/share-requests/${req.id}/agreement`, {
      accept: true,
    })
  ).json().channelId;
  await ctx.db.query('CREATE SEQUENCE past_seq');
});
afterAll(() => ctx.close());

describe('hourly totals of the ledger', () => {
  it('the audit list’s unfiltered total is the chain’s length', async () => {
    const res = (await api(cast.cookies.admin, 'GET', '/api/v1/audit?pageSize=1')).json();
    expect(res.total).toBe(
      (await ctx.db.query('SELECT count(*)::int AS n FROM audit_ledger')).rows[0].n,
    );
    expect(res.total).toBeGreaterThan(5);
  });

  it('give the same usage and activity charts as counting the entries, and roll each hour up once', async () => {
    await pastEntry('3 days', 'share.read', 'success', channelId, 5);
    await pastEntry('3 days', 'share.read', 'success', channelId, 7);
    await pastEntry('3 days', 'share.read', 'denied', channelId);
    // not a read of the chart
    await pastEntry('3 days', 'share.export.done', 'success', channelId, 1000);
    await pastEntry('2 hours', 'share.read', 'success', channelId, 4);
    await pastEntry('40 days', 'share.read', 'success', channelId, 9); // older than the chart
    await pastEntry('3 days', 'share.read', 'success', 'another-channel', 3);
    for (const limit of [2, 3])
      expect(
        (
          await api(
            cast.cookies.consumer,
            'GET',
            `/api/v1/channels/${channelId}/records?limit=${limit}`,
          )
        ).statusCode,
      ).toBe(200);

    const usage = async () =>
      (await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${channelId}/usage`)).json().days;
    const activity = async () =>
      (await api(cast.cookies.admin, 'GET', '/api/v1/audit/activity?days=30')).json().items;
    const day = async (ago: string) =>
      (
        await ctx.db.query(
          `SELECT to_char((now() - $1::interval) AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS d`,
          [ago],
        )
      ).rows[0].d;
    const counted = await usage();
    const byDay = Object.fromEntries(counted.map((d: { day: string }) => [d.day, d]));
    expect(byDay[await day('3 days')]).toEqual({
      day: await day('3 days'),
      reads: 2,
      rows: 12,
      denied: 1,
    });
    expect(byDay[await day('40 days')]).toBeUndefined();
    const today = await day('0 days');
    const recent = (await day('2 hours')) === today ? { reads: 3, rows: 9 } : { reads: 2, rows: 5 };
    expect(byDay[today]).toMatchObject(recent);
    const activityCounted = await activity();

    // Rolled up: the hours that are over go to audit_hourly; the charts read them and stay the
    // same.
    expect(await rollUpHours(ctx.db)).toBeGreaterThan(0);
    const {
      rows: [state],
    } = await ctx.db.query(
      `SELECT through = date_trunc('hour', now() - interval '10 minutes') AS current FROM audit_hourly_state`,
    );
    expect(state.current).toBe(true);
    const {
      rows: [hourly],
    } = await ctx.db.query(
      `SELECT sum(entries)::int AS entries, sum(rows)::int AS rows FROM audit_hourly WHERE target_id = $1 AND action = 'share.read'`,
      [channelId],
    );
    // the three of three days ago, two hours ago and forty days ago; not this hour's reads
    expect(hourly).toEqual({ entries: 5, rows: 25 });
    // the same hours per body, for the activity chart: every action of the consumer's body, this
    // hour's excepted
    const {
      rows: [byOrg],
    } = await ctx.db.query(
      `SELECT sum(entries)::int AS entries FROM audit_hourly_org WHERE org_id = $1`,
      [cast.consumer.id],
    );
    const {
      rows: [ledger],
    } = await ctx.db.query(
      `SELECT count(*)::int AS entries FROM audit_ledger WHERE org_id = $1 AND at < (SELECT through FROM audit_hourly_state)`,
      [cast.consumer.id],
    );
    expect(byOrg.entries).toBe(ledger.entries);
    expect(byOrg.entries).toBeGreaterThanOrEqual(7);
    expect(await usage()).toEqual(counted);
    expect(await activity()).toEqual(activityCounted);

    // Nothing is added twice, even by two instances rolling up at the same moment.
    expect(await rollUpHours(ctx.db)).toBe(0);
    await ctx.db.query('DELETE FROM audit_hourly');
    await ctx.db.query('DELETE FROM audit_hourly_org');
    await ctx.db.query('UPDATE audit_hourly_state SET through = NULL');
    const [a, b] = await Promise.all([rollUpHours(ctx.db), rollUpHours(ctx.db)]);
    expect(Math.min(a, b)).toBe(0);
    expect(Math.max(a, b)).toBeGreaterThan(0);
    expect(await usage()).toEqual(counted);
    expect(await activity()).toEqual(activityCounted);
  });

  it('counts a filtered audit list only up to 10,000 matches, and says so', async () => {
    await ctx.db.query(`INSERT INTO audit_ledger (seq, at, actor_kind, action, target_type, target_id, outcome, algorithm, prev_hash, hash)
      SELECT 2000000000 + g, now(), 'client', 'share.verify', 'channel', 'busy-channel', 'success', 'sha256', '', '' FROM generate_series(1, 10005) g`);
    const list = async (query: string) =>
      (await api(cast.cookies.admin, 'GET', `/api/v1/audit?pageSize=5&${query}`)).json();
    const many = await list('action=share.verify');
    expect(many).toMatchObject({ total: 10000, totalExact: false });
    expect(many.items).toHaveLength(5);
    expect(await list(`targetId=${channelId}`)).toMatchObject({
      totalExact: true,
      total: (
        await ctx.db.query('SELECT count(*)::int AS n FROM audit_ledger WHERE target_id = $1', [
          channelId,
        ])
      ).rows[0].n,
    });
    // by actor: an id, or a name: a user's or client's (through their ids), or one only recorded
    // (an unknown username signing in)
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: cast.users.consumer.username, password: 'wrong-Password-1' },
    });
    await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody.here', password: 'wrong-Password-1' },
    });
    const mine = await list(`actor=${cast.users.consumer.id}`);
    expect(
      mine.items.map((e: { action: string; outcome: string }) => `${e.action}:${e.outcome}`),
    ).toContain('auth.login:failure');
    expect(await list(`actor=${cast.users.consumer.username}`)).toMatchObject({
      total: mine.total,
      totalExact: true,
    });
    expect((await list('actor=nobody.here')).items).toEqual([
      expect.objectContaining({ action: 'auth.login', outcome: 'failure' }),
    ]);
    expect(
      (await list(`org=${cast.consumer.id}&action=auth.login`)).items.every(
        (e: { action: string }) => e.action === 'auth.login',
      ),
    ).toBe(true);
    expect((await list('action=auth.*')).total).toBeGreaterThan(0);
  });
});
