import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, login, type TestContext } from './helpers.js';
import { seedDemo } from '../src/demo/seed.js';

describe('the demo catalog', () => {
  let ctx: TestContext;
  const password = 'Demo-pass-2026';
  beforeAll(async () => {
    ctx = await buildTestApp();
    expect(await seedDemo(ctx.db, password)).toBe(true);
  });
  afterAll(() => ctx.close());

  it('holds at least 40 entries across the eight departments, most published, some waiting and some drafts', async () => {
    const { rows } = await ctx.db.query(
      `SELECT status, count(*)::int AS n, count(DISTINCT provider_org_id)::int AS orgs FROM resources GROUP BY ROLLUP (status)`,
    );
    const by = Object.fromEntries(rows.map((r) => [r.status ?? 'all', r]));
    expect(by.all.n).toBeGreaterThanOrEqual(40);
    expect(by.all.orgs).toBe(8);
    expect(by.published.n).toBeGreaterThan(by.all.n / 2);
    expect(by.submitted.n).toBeGreaterThan(0);
    expect(by.draft.n).toBeGreaterThan(0);
    const names = (await ctx.db.query(`SELECT name FROM resources`)).rows.map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '人口基础信息',
        '市场主体登记信息',
        '社保参保信息',
        '纳税信用等级',
        '不动产登记信息',
        '学籍信息',
        '道路运输经营许可',
      ]),
    );
  });

  it('is searchable by a department user, and the reviewer sees the approval queue', async () => {
    const consumer = await login(ctx.app, 'jtj.consumer', password);
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/resources?q=${encodeURIComponent('企业 登记')}`,
      headers: { cookie: consumer },
    });
    expect(res.json().items[0].name).toBe('市场主体登记信息');
    const reviewer = await login(ctx.app, 'reviewer', password);
    const queue = (
      await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/resources?status=submitted',
        headers: { cookie: reviewer },
      })
    ).json();
    expect(queue.total).toBeGreaterThanOrEqual(4);
    // 职能数据清单 审定: one list waits for the authority, one is approved
    const waiting = (
      await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/function-data/submitted',
        headers: { cookie: reviewer },
      })
    ).json().items;
    expect(waiting.map((l: { orgName: string }) => l.orgName)).toEqual([
      '示范市人力资源和社会保障局',
    ]);
    const gaj = await login(ctx.app, 'gaj.officer', password);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/function-data',
          headers: { cookie: gaj },
        })
      ).json().review,
    ).toMatchObject({ status: 'approved' });
  });

  it('opens channels to click through: 税务局 reads and exports masked rows; the push channel answers queries but gives no export', async () => {
    const swj = await login(ctx.app, 'swj.consumer', password);
    const get = (cookie: string, url: string) =>
      ctx.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie } });
    const [tax] = (await get(swj, '/channels')).json().items;
    expect(tax).toMatchObject({ delivery: 'export', status: 'active' });
    const rows = (await get(swj, `/channels/${tax.id}/records?limit=3`)).json().items;
    expect(rows).toHaveLength(3);
    expect(rows[0].legal_rep).toMatch(/^\p{Script=Han}\*+$/u);
    const csv = await get(swj, `/channels/${tax.id}/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split('\n').length).toBeGreaterThan(1000);
    const rsj = await login(ctx.app, 'rsj.consumer', password);
    const [push] = (await get(rsj, '/channels')).json().items;
    expect(push).toMatchObject({ delivery: 'push', push: { schedule: 'daily' } });
    expect((await get(rsj, `/channels/${push.id}/records?limit=1`)).statusCode).toBe(200);
    expect((await get(rsj, `/channels/${push.id}/export`)).json().error).toMatchObject({
      code: 'SHARE_SCOPE_EXCEEDED',
      details: { kind: 'delivery' },
    });
  });

  it('shows the authority a refused over-scope read of 税务局 on its report, and the ledger holds its entry with the chain intact', async () => {
    const reviewer = await login(ctx.app, 'reviewer', password);
    const report = (
      await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/sharing/over-scope',
        headers: { cookie: reviewer },
      })
    ).json();
    const refused = report.items.filter((v: { kind: string }) => v.kind === 'field');
    expect(refused).toEqual([
      expect.objectContaining({
        orgName: '示范市税务局',
        resourceName: '市场主体登记信息',
        detail: { field: expect.any(String) },
      }),
    ]);
    const denied = (
      await ctx.db.query(
        `SELECT details FROM audit_ledger WHERE action = 'share.read' AND outcome = 'denied' AND details->>'kind' = 'field'`,
      )
    ).rows;
    expect(denied).toEqual([{ details: { kind: 'field', field: refused[0].detail.field } }]);
    const auditor = await login(ctx.app, 'auditor', password);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/audit/verify',
          headers: { cookie: auditor },
        })
      ).json(),
    ).toMatchObject({ ok: true });
  });

  it('registers each department’s system with its tables catalogued, and one system that cannot be accepted yet', async () => {
    const { rows } = await ctx.db.query(
      `SELECT s.name, s.accepted, count(t.id)::int AS tables FROM systems s LEFT JOIN system_tables t ON t.system_id = s.id GROUP BY s.id ORDER BY s.name`,
    );
    expect(rows.length).toBe(9);
    expect(rows.find((r) => r.name === '社会保险经办系统')).toMatchObject({
      accepted: true,
      tables: 5,
    });
    const scjg = await login(ctx.app, 'scjg.officer', password);
    const building = rows.find((r) => r.name === '信用监管协同系统');
    expect(building).toMatchObject({ accepted: false, tables: 2 });
    const id = (await ctx.db.query(`SELECT id FROM systems WHERE name = '信用监管协同系统'`))
      .rows[0].id;
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/systems/${id}`,
      headers: { cookie: scjg },
      payload: { accepted: true },
    });
    expect(res.json().error.details).toMatchObject({
      field: 'accepted',
      rule: 'tables_not_catalogued_or_exempted',
    });
  });
});
