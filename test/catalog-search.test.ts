import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, buildUser, login, type TestContext } from './helpers.js';
import { createEntry, entryBody, publishEntry } from './catalog.fixtures.js';

const field = (name: string, label: string) => ({
  name,
  label,
  type: 'string',
  required: false,
  sensitivity: 'internal',
});

describe('catalog search', () => {
  let ctx: TestContext;
  let scjg: { id: string }, gaj: { id: string };
  let scjgOfficer: string, gajOfficer: string, consumer: string, reviewer: string, admin: string;
  const ids: Record<string, string> = {};

  const entry = (
    name: string,
    summary: string,
    fields: ReturnType<typeof field>[],
    extra: Record<string, unknown> = {},
  ) =>
    entryBody({
      name,
      summary,
      fields,
      identifierKind: 'none',
      identifierField: null,
      shareType: 'unconditional',
      legalBasis: null,
      shareConditions: null,
      keywords: [],
      ...extra,
    });

  beforeAll(async () => {
    ctx = await buildTestApp();
    const authority = await buildOrg(ctx.db, { type: 'authority' });
    scjg = await buildOrg(ctx.db, { name: '市场监督管理局' });
    gaj = await buildOrg(ctx.db, { name: '公安局' });
    const other = await buildOrg(ctx.db, { name: '教育局' });
    scjgOfficer = await login(ctx.app, (await buildUser(ctx.db, scjg.id, ['officer'])).username);
    gajOfficer = await login(ctx.app, (await buildUser(ctx.db, gaj.id, ['officer'])).username);
    consumer = await login(ctx.app, (await buildUser(ctx.db, other.id, ['consumer'])).username);
    reviewer = await login(ctx.app, (await buildUser(ctx.db, authority.id, ['reviewer'])).username);
    admin = await login(
      ctx.app,
      (await buildUser(ctx.db, authority.id, ['platform_admin'])).username,
    );
    const who = (cookie: string) => ({ provider: cookie, reviewer, admin });
    const make = async (
      cookie: string,
      key: string,
      body: ReturnType<typeof entry>,
      publish = true,
    ) => {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/resources',
        headers: { cookie },
        payload: body,
      });
      if (res.statusCode !== 201) throw new Error(res.body);
      ids[key] = res.json().id;
      if (publish) await publishEntry(ctx.app, ids[key], who(cookie));
    };
    await make(
      scjgOfficer,
      'market',
      entry(
        '市场主体登记信息',
        '企业、个体工商户、农民专业合作社的设立、变更、注销登记信息',
        [field('uscc', '统一社会信用代码'), field('entity_name', '市场主体名称')],
        { categoryCode: '0102' },
      ),
    );
    await make(
      scjgOfficer,
      'soe',
      entry('国有企业名录', '本市国有及国有控股企业清单', [field('company', '企业名称')], {
        categoryCode: '0102',
      }),
    );
    await make(
      scjgOfficer,
      'pension',
      entry('企业年金备案信息', '企业年金方案备案情况', [field('plan', '方案名称')], {
        categoryCode: '0201',
      }),
    );
    await make(
      gajOfficer,
      'vehicle',
      entry('机动车登记信息', '机动车注册、转移、抵押登记', [field('plate', '号牌号码')], {
        categoryCode: '0206',
      }),
    );
    await make(
      gajOfficer,
      'household',
      entry(
        '户籍人口信息',
        '户籍人口基础信息',
        [field('marriage_reg', '婚姻登记状态'), field('company_name', '工作企业')],
        { categoryCode: '0101' },
      ),
    );
    await make(
      gajOfficer,
      'secretDraft',
      entry('企业登记内部草稿', '企业登记相关的内部草稿', [field('x', '内容')]),
      false,
    );
  });
  afterAll(() => ctx.close());

  const search = async (query: string, cookie = consumer) => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/resources?${query}`,
      headers: { cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const names = (page: { items: { name: string }[] }) => page.items.map((i) => i.name);

  it('finds 市场主体登记信息 for 企业 登记 by words, not every entry containing 企', async () => {
    const page = await search(`q=${encodeURIComponent('企业 登记')}`);
    expect(names(page)[0]).toBe('市场主体登记信息');
    expect(names(page)).not.toContain('国有企业名录');
    expect(names(page)).not.toContain('企业年金备案信息');
    expect(names(page)).not.toContain('机动车登记信息');
    // someone else's draft is never found
    expect(names(page)).not.toContain('企业登记内部草稿');
  });

  it('does not match a single character inside words', async () => {
    expect((await search(`q=${encodeURIComponent('企')}`)).total).toBe(0);
    expect((await search(`q=${encodeURIComponent('记')}`)).total).toBe(0);
  });

  it('ranks a match in the name above a match in a field label', async () => {
    const page = await search(`q=${encodeURIComponent('登记')}`);
    const order = names(page);
    expect(order).toEqual(
      expect.arrayContaining(['市场主体登记信息', '机动车登记信息', '户籍人口信息']),
    );
    expect(order.indexOf('户籍人口信息')).toBeGreaterThan(order.indexOf('市场主体登记信息'));
    expect(order.indexOf('户籍人口信息')).toBeGreaterThan(order.indexOf('机动车登记信息'));
    expect(page.items[0].rank).toBeGreaterThan(page.items[order.indexOf('户籍人口信息')].rank);
  });

  it('finds synonyms: 法人 finds the 企业 entries, 统一社会信用代码 finds by field label', async () => {
    expect(names(await search(`q=${encodeURIComponent('统一社会信用代码')}`))).toEqual([
      '市场主体登记信息',
    ]);
    expect(names(await search(`q=${encodeURIComponent('户口')}`))).toContain('户籍人口信息');
  });

  it('filters and counts facets, each facet ignoring its own filter', async () => {
    const page = await search(`provider=${scjg.id}`);
    expect(page.total).toBe(3);
    const providers = Object.fromEntries(
      page.facets.provider.map((f: { label: string; count: number }) => [f.label, f.count]),
    );
    expect(providers).toEqual({ 市场监督管理局: 3, 公安局: 2 });
    expect(page.facets.category).toEqual(
      expect.arrayContaining([
        { value: '0102', label: '法人', count: 2 },
        { value: '0201', label: '社会保障', count: 1 },
      ]),
    );
    expect(page.facets.shareType).toEqual([
      { value: 'unconditional', label: '无条件共享', count: 3 },
    ]);
    expect((await search('category=01')).total).toBe(3);
    expect(names(await search(`category=0102&q=${encodeURIComponent('企业')}`)).sort()).toEqual([
      '国有企业名录',
      '市场主体登记信息',
    ]);
  });

  it('shows the provider its own drafts, and reviewers the whole queue', async () => {
    expect(names(await search('status=draft', gajOfficer))).toEqual(['企业登记内部草稿']);
    expect((await search('status=draft', consumer)).total).toBe(0);
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${ids.secretDraft}/submit`,
      headers: { cookie: gajOfficer },
      payload: {},
    });
    const queue = await search('status=submitted', reviewer);
    expect(names(queue)).toEqual(['企业登记内部草稿']);
    expect(queue.facets.status).toEqual(
      expect.arrayContaining([
        { value: 'submitted', label: 'submitted', count: 1 },
        { value: 'published', label: 'published', count: 5 },
      ]),
    );
  });

  it('warns of overlapping entries before data is exchanged or bought [000 §12]', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/catalog/dedupe?name=${encodeURIComponent('企业登记信息')}&fields=${encodeURIComponent('统一社会信用代码,企业名称')}`,
      headers: { cookie: consumer },
    });
    const items = res.json().items;
    expect(items[0]).toMatchObject({
      name: '市场主体登记信息',
      matchedFields: ['统一社会信用代码'],
    });
    expect(items.map((i: { name: string }) => i.name)).not.toContain('企业登记内部草稿');
    const none = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/catalog/dedupe',
      headers: { cookie: consumer },
    });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details).toMatchObject({
      field: 'name',
      rule: 'name_or_fields_required',
    });
  });

  it('finds a new draft for its own provider at once', async () => {
    const e = await createEntry(
      ctx.app,
      scjgOfficer,
      entry('食品经营许可信息', '食品经营许可证核发信息', [field('licence_no', '许可证编号')]),
    );
    expect(names(await search(`q=${encodeURIComponent('食品 许可')}`, scjgOfficer))).toContain(
      '食品经营许可信息',
    );
    expect(e.status).toBe('draft');
  });
});
