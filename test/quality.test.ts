import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  buildOrg,
  buildUser,
  login,
  signedInAdmin,
  type TestContext,
} from './helpers.js';
import {
  enterprise,
  enterpriseCsv,
  enterpriseResource,
  personIdCard,
  poolResource,
} from './factories/pool.js';
import { overdueResources } from '../src/modules/quality/index.js';
import { withTx } from '../src/db/pool.js';
import { entryBody, publishEntry } from './catalog.fixtures.js';

let ctx: TestContext;
let officer: string;
let providerId: string;
let admin: string;
beforeAll(async () => {
  ctx = await buildTestApp();
  const org = await buildOrg(ctx.db, { name: '公安局' });
  providerId = org.id;
  officer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['officer'])).username);
  admin = (await signedInAdmin(ctx)).cookie;
});
afterAll(() => ctx.close());

const get = (url: string, cookie = officer) =>
  ctx.app.inject({ method: 'GET', url, headers: { cookie } });
const postCsv = (id: string, csv: string, cookie = officer) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/resources/${id}/batches?mode=upsert`,
    headers: { cookie, 'content-type': 'text/csv' },
    payload: csv,
  });

describe('quality scores', () => {
  it('scores each batch and keeps them over time', async () => {
    const entry = await poolResource(ctx.db, enterpriseResource(providerId));
    await postCsv(
      entry.resourceId,
      enterpriseCsv([enterprise(1), enterprise(2), enterprise(3), enterprise(4)]),
    );
    // second batch: one row breaks a field rule, one repeats an identifier, and legal_rep is empty
    // everywhere
    const rows = [
      enterprise(5, { legal_rep: '' }),
      enterprise(6, { legal_rep: '', phone: 'x' }),
      enterprise(5, { legal_rep: '' }),
      enterprise(7, { legal_rep: '' }),
    ];
    await postCsv(entry.resourceId, enterpriseCsv(rows));
    const q = (await get(`/api/v1/resources/${entry.resourceId}/quality`)).json();
    expect(q.series).toHaveLength(2);
    expect(q.series[0]).toMatchObject({
      completeness: 1,
      accuracy: 1,
      consistency: 1,
      timeliness: 1,
      overall: 1,
      rows: 4,
    });
    expect(q.series[1]).toMatchObject({
      completeness: 0.9,
      accuracy: 0.75,
      consistency: 0.75,
      timeliness: 1,
      rows: 4,
    });
    expect(q.rules).toEqual(
      expect.arrayContaining([
        { field: 'phone', rule: 'mobile', violations: 1 },
        { field: 'uscc', rule: 'unique_in_batch', violations: 1 },
      ]),
    );
    expect(q.overdue).toBe(false);
    expect(q.current.timeliness).toBe(1);
  });

  it('shows a resource whose data is older than its update frequency as overdue, to its provider and the platform admin', async () => {
    const weekly = await poolResource(
      ctx.db,
      enterpriseResource(providerId, { name: '周更资源', updateFrequency: 'weekly' }),
    );
    const irregular = await poolResource(
      ctx.db,
      enterpriseResource(providerId, { name: '不定期资源', updateFrequency: 'irregular' }),
    );
    await postCsv(weekly.resourceId, enterpriseCsv([enterprise(1)]));
    await ctx.db.query(
      `UPDATE pool_tables SET last_loaded_at = now() - interval '10 days', published_at = now() - interval '30 days' WHERE resource_id = ANY($1)`,
      [[weekly.resourceId, irregular.resourceId]],
    );
    const mine = (await get('/api/v1/quality/overdue')).json().items;
    expect(mine.map((r: { name: string }) => r.name)).toContain('周更资源');
    expect(mine.map((r: { name: string }) => r.name)).not.toContain('不定期资源');
    expect(mine.find((r: { name: string }) => r.name === '周更资源')).toMatchObject({
      updateFrequency: 'weekly',
      daysOverdue: 3,
      providerName: '公安局',
    });
    const all = await withTx(ctx.db, (tx) => overdueResources(tx, null));
    expect(all.map((r) => r.resourceId)).toContain(weekly.resourceId);
    const other = await buildOrg(ctx.db);
    expect(await withTx(ctx.db, (tx) => overdueResources(tx, other.id))).toEqual([]);
    const q = (await get(`/api/v1/resources/${weekly.resourceId}/quality`)).json();
    expect(q.overdue).toBe(true);
    expect(q.current.timeliness).toBe(0.7);
    expect(
      (await get('/api/v1/quality/overdue', admin)).json().items.length,
    ).toBeGreaterThanOrEqual(1);
    // the provider is told on its home page
    const tasks = (await get('/api/v1/workbench/tasks')).json();
    expect(JSON.stringify(tasks)).toContain('quality.overdue');
  });
});

describe('personal-data detection on the first batch', () => {
  it('proposes sensitivity and masking that the provider accepts or changes', async () => {
    // A catalog entry taken through review to published, as a provider's would be.
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: { cookie: officer },
      payload: entryBody({
        name: '人口基础信息（识别）',
        identifierField: 'id_no',
        fields: [
          {
            name: 'id_no',
            label: '公民身份号码',
            type: 'string',
            required: true,
            sensitivity: 'internal',
            validator: 'id_card',
          },
          {
            name: 'full_name',
            label: '姓名',
            type: 'string',
            required: true,
            sensitivity: 'internal',
          },
          {
            name: 'mobile',
            label: '手机',
            type: 'string',
            required: false,
            sensitivity: 'internal',
          },
          { name: 'home', label: '住址', type: 'string', required: false, sensitivity: 'internal' },
          {
            name: 'plate',
            label: '车牌',
            type: 'string',
            required: false,
            sensitivity: 'internal',
          },
          {
            name: 'card',
            label: '银行卡',
            type: 'string',
            required: false,
            sensitivity: 'internal',
          },
          { name: 'note', label: '备注', type: 'string', required: false, sensitivity: 'internal' },
        ],
      }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const reviewer = await login(
      ctx.app,
      (await buildUser(ctx.db, (await buildOrg(ctx.db, { type: 'authority' })).id, ['reviewer']))
        .username,
    );
    await publishEntry(ctx.app, created.json().id, { provider: officer, reviewer, admin });
    const entry = { resourceId: created.json().id as string };
    const names = ['张伟', '王芳', '李娜', '刘洋', '陈静'];
    const rows = Array.from({ length: 20 }, (_, i) =>
      [
        personIdCard(i),
        names[i % 5],
        `139${String(10_000_000 + i)}`,
        `浙江省杭州市西湖区文三路${i + 1}号`,
        `浙A${String(10000 + i)}`,
        '6200000000000005',
        `备注${i}`,
      ].join(','),
    );
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${entry.resourceId}/batches`,
      headers: { cookie: officer, 'content-type': 'text/csv' },
      payload: ['id_no,full_name,mobile,home,plate,card,note', ...rows].join('\n'),
    });
    expect(res.json()).toMatchObject({ accepted: 20 });
    const proposals = (await get(`/api/v1/resources/${entry.resourceId}/classification`)).json()
      .items;
    expect(
      proposals.map(
        (p: {
          field: string;
          detectedKind: string;
          proposed: { sensitivity: string; masking: string };
        }) => [p.field, p.detectedKind, p.proposed.sensitivity, p.proposed.masking],
      ),
    ).toEqual([
      ['card', 'bank_card', 'personal', 'partial'],
      ['full_name', 'name', 'personal', 'partial'],
      ['home', 'address', 'personal', 'generalise'],
      ['id_no', 'id_card', 'personal', 'partial'],
      ['mobile', 'mobile', 'personal', 'partial'],
      ['plate', 'plate', 'personal', 'partial'],
    ]);
    // the provider's home page counts the fields waiting for its decision (these six and those of
    // its other resources)
    const task = async () =>
      (await get('/api/v1/workbench/tasks'))
        .json()
        .items.find((t: { kind: string }) => t.kind === 'classification.proposed');
    const before = await task();
    expect(before.count).toBeGreaterThanOrEqual(6);
    const accept = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${entry.resourceId}/classification/id_no`,
      headers: { cookie: officer },
      payload: { accept: true },
    });
    expect((await task()).count).toBe(before.count - 1);
    // and the pool's list says which resource has them
    const pending = async () =>
      (await get('/api/v1/pool/resources'))
        .json()
        .items.find((r: { resourceId: string }) => r.resourceId === entry.resourceId)
        .proposalsPending;
    expect(await pending()).toBe(5);
    expect(accept.json()).toMatchObject({
      status: 'accepted',
      decided: { sensitivity: 'personal', masking: 'partial' },
    });
    const change = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${entry.resourceId}/classification/home`,
      headers: { cookie: officer },
      payload: { sensitivity: 'sensitive', masking: 'truncate' },
    });
    expect(change.json()).toMatchObject({
      status: 'changed',
      decided: { sensitivity: 'sensitive', masking: 'truncate' },
    });
    // Each decision is written into the catalog entry's working copy, a new draft version to submit
    // for review.
    expect(accept.json().catalog).toEqual({ version: 2, status: 'draft' });
    expect(change.json().catalog).toEqual({ version: 3, status: 'draft' });
    // a decision the entry already holds makes no version
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${entry.resourceId}/classification/id_no`,
      headers: { cookie: officer },
      payload: { accept: true },
    });
    expect(again.json().catalog).toEqual({ version: 3, status: 'draft' });
    const draft = (await get(`/api/v1/resources/${entry.resourceId}`)).json();
    expect(draft.status).toBe('draft');
    const field = (name: string) => draft.fields.find((f: { name: string }) => f.name === name);
    expect(field('id_no')).toMatchObject({
      sensitivity: 'personal',
      masking: 'partial',
      piiKind: 'id_card',
    });
    expect(field('home')).toMatchObject({
      sensitivity: 'sensitive',
      masking: 'truncate',
      piiKind: 'address',
    });
    expect(field('mobile')).toMatchObject({ sensitivity: 'internal' }); // undecided: unchanged
    // While the entry is under review it takes no edit: the decision is recorded, the catalog left
    // as it is.
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/v1/resources/${entry.resourceId}/submit`,
          headers: { cookie: officer },
          payload: {},
        })
      ).statusCode,
    ).toBe(200);
    const underReview = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${entry.resourceId}/classification/mobile`,
      headers: { cookie: officer },
      payload: { accept: true },
    });
    expect(underReview.json()).toMatchObject({ status: 'accepted', catalog: null });
    expect(
      (await get(`/api/v1/resources/${entry.resourceId}`))
        .json()
        .fields.find((f: { name: string }) => f.name === 'mobile').sensitivity,
    ).toBe('internal');
    const stranger = await login(
      ctx.app,
      (await buildUser(ctx.db, (await buildOrg(ctx.db)).id, ['officer'])).username,
    );
    expect(
      (
        await ctx.app.inject({
          method: 'POST',
          url: `/api/v1/resources/${entry.resourceId}/classification/home`,
          headers: { cookie: stranger },
          payload: { accept: true },
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('with the catalog', () => {
  it('publishing an entry creates its pool table, and its provider loads into it', async () => {
    const reviewer = await login(
      ctx.app,
      (await buildUser(ctx.db, (await buildOrg(ctx.db, { type: 'authority' })).id, ['reviewer']))
        .username,
    );
    const created = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/resources',
      headers: { cookie: officer },
      payload: entryBody({ name: '人口基础信息（测试）' }),
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect((await get(`/api/v1/resources/${id}/pool`)).statusCode).toBe(404);
    await publishEntry(ctx.app, id, { provider: officer, reviewer, admin });
    const pool = (await get(`/api/v1/resources/${id}/pool`)).json();
    expect(pool).toMatchObject({ resourceId: id, identifierField: 'id_card_no', rows: 0 });
    const csv = [
      '公民身份号码,姓名,出生日期',
      `${personIdCard(1)},张伟,1980-07-02`,
      `${personIdCard(2)},王芳,1981-07-03`,
      '110105194912310021,李四,1949-12-31',
    ].join('\n');
    const res = await postCsv(id, csv);
    expect(res.json()).toMatchObject({ status: 'committed', accepted: 2, rejected: 1 });
    expect(
      (await get(`/api/v1/resources/${id}/rows`))
        .json()
        .items.map((r: { full_name: string }) => r.full_name),
    ).toEqual(['张伟', '王芳']);
  });
});
