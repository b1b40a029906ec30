import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, buildUser, login, type TestContext } from './helpers.js';
import { createEntry, entryBody, publishEntry } from './catalog.fixtures.js';
import { registerPublishHook, getPoolResource } from '../src/modules/catalog/index.js';
import { withTx } from '../src/db/pool.js';

describe('catalog entries', () => {
  let ctx: TestContext;
  let org: { id: string; code: string };
  let officer: string,
    otherOfficer: string,
    consumer: string,
    reviewer: string,
    admin: string,
    otherConsumer: string;

  beforeAll(async () => {
    ctx = await buildTestApp();
    const authority = await buildOrg(ctx.db, { type: 'authority' });
    org = await buildOrg(ctx.db, { name: '市公安局' });
    const other = await buildOrg(ctx.db, { name: '市税务局' });
    officer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['officer'])).username);
    otherOfficer = await login(ctx.app, (await buildUser(ctx.db, other.id, ['officer'])).username);
    consumer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['consumer'])).username);
    otherConsumer = await login(
      ctx.app,
      (await buildUser(ctx.db, other.id, ['consumer'])).username,
    );
    reviewer = await login(ctx.app, (await buildUser(ctx.db, authority.id, ['reviewer'])).username);
    admin = await login(
      ctx.app,
      (await buildUser(ctx.db, authority.id, ['platform_admin'])).username,
    );
  });
  afterAll(() => ctx.close());

  const post = (url: string, cookie: string, payload: unknown = {}) =>
    ctx.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });
  const get = (url: string, cookie: string) =>
    ctx.app.inject({ method: 'GET', url, headers: { cookie } });
  const patch = (url: string, cookie: string, payload: unknown) =>
    ctx.app.inject({ method: 'PATCH', url, headers: { cookie }, payload: payload as object });
  const count = async () =>
    (await ctx.db.query('SELECT count(*)::int AS n FROM resources')).rows[0].n;

  it('creates a draft with a code built from category, provider code and sequence', async () => {
    const a = await createEntry(ctx.app, officer, { name: '人口基础信息A' });
    const b = await createEntry(ctx.app, officer, { name: '人口基础信息B' });
    const orgCode = org.code.slice(8, 17);
    expect(a.code).toBe(`0101-${orgCode}-0001`);
    expect(b.code).toBe(`0101-${orgCode}-0002`);
    expect(a).toMatchObject({
      status: 'draft',
      version: 1,
      providerOrgId: org.id,
      providerName: '市公安局',
      categoryName: '人口',
      shareTypeName: '有条件共享',
      actions: ['edit', 'submit'],
    });
    expect(a.fields).toHaveLength(3);
    expect(a.fields[0]).toMatchObject({
      name: 'id_card_no',
      piiKind: 'id_card',
      masking: 'partial',
    });
  });

  it('requires a legal basis for conditional and not-shared entries, and conditions for conditional ones', async () => {
    const before = await count();
    for (const [overrides, field, rule] of [
      [{ shareType: 'conditional', legalBasis: null }, 'legalBasis', 'required_for_share_type'],
      [{ shareType: 'not-shared', legalBasis: '  ' }, 'legalBasis', 'required_for_share_type'],
      [
        { shareType: 'conditional', shareConditions: null },
        'shareConditions',
        'required_for_share_type',
      ],
      [{ shareType: 'special' }, 'shareType', 'profile_share_type'],
    ] as const) {
      const res = await post(
        '/api/v1/resources',
        officer,
        entryBody({ name: `无依据${field}${rule}`, ...overrides }),
      );
      expect(res.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(res.json().error.details).toMatchObject({ field, rule });
    }
    const ok = await post(
      '/api/v1/resources',
      officer,
      entryBody({
        name: '无条件共享条目',
        shareType: 'unconditional',
        legalBasis: null,
        shareConditions: null,
      }),
    );
    expect(ok.statusCode).toBe(201);
    expect(await count()).toBe(before + 1);
  });

  it('refuses bad fields with the field path and rule, and writes nothing', async () => {
    const before = await count();
    const f = entryBody().fields;
    for (const [fields, field, rule] of [
      [[f[0], { ...f[1], name: 'id_card_no' }], 'fields.1.name', 'unique'],
      [[{ ...f[0], name: 'Bad-Name' }], 'fields.0.name', 'pattern'],
      [[f[0], { ...f[2], enumValues: ['a'] }], 'fields.1.enumValues', 'string_type_only'],
      [
        [f[0], { ...f[1], sensitivity: 'public' }],
        'fields.1.sensitivity',
        'pii_needs_personal_or_sensitive',
      ],
      [[f[0], { ...f[1], pattern: '([' }], 'fields.1.pattern', 'regex'],
    ] as const) {
      const res = await post(
        '/api/v1/resources',
        officer,
        entryBody({ name: `坏字段${field}`, fields }),
      );
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.details).toMatchObject({ field, rule });
    }
    const noId = await post(
      '/api/v1/resources',
      officer,
      entryBody({ name: '缺标识', identifierField: 'nope' }),
    );
    expect(noId.json().error.details).toMatchObject({
      field: 'identifierField',
      rule: 'one_of_fields',
    });
    const open = await post(
      '/api/v1/resources',
      officer,
      entryBody({ name: '开放个人', openType: 'open', fields: [{ ...f[0], masking: 'none' }] }),
    );
    expect(open.json().error.details).toMatchObject({
      field: 'openType',
      rule: 'personal_field_unmasked',
    });
    expect(await count()).toBe(before);
  });

  it('lets only the right role take each lifecycle step', async () => {
    const e = await createEntry(ctx.app, officer, { name: '户籍迁移信息' });
    // another body cannot even see the draft, let alone submit or edit it
    expect((await get(`/api/v1/resources/${e.id}`, otherOfficer)).statusCode).toBe(404);
    expect((await post(`/api/v1/resources/${e.id}/submit`, otherOfficer)).statusCode).toBe(404);
    expect(
      (await patch(`/api/v1/resources/${e.id}`, otherOfficer, { summary: '改了' })).statusCode,
    ).toBe(404);
    // a consumer of the provider body may read its draft but neither submit nor approve
    expect((await post(`/api/v1/resources/${e.id}/submit`, consumer)).statusCode).toBe(403);
    expect(
      (await post(`/api/v1/resources/${e.id}/submit`, officer, { comment: '请审核' })).json()
        .status,
    ).toBe('submitted');
    const refusal = await post(`/api/v1/resources/${e.id}/approve`, consumer);
    expect(refusal.statusCode).toBe(403);
    expect(refusal.json().error.code).toBe('FORBIDDEN');
    expect((await post(`/api/v1/resources/${e.id}/approve`, officer)).statusCode).toBe(403);
    // the provider cannot edit while it is under review
    const locked = await patch(`/api/v1/resources/${e.id}`, officer, { summary: '审核中修改' });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().error.code).toBe('RESOURCE_STATE');
    // the reviewer cannot publish; publishing an unapproved entry is refused
    expect((await post(`/api/v1/resources/${e.id}/publish`, admin)).statusCode).toBe(409);
    expect(
      (await post(`/api/v1/resources/${e.id}/approve`, reviewer, { comment: '同意' })).json()
        .status,
    ).toBe('approved');
    expect((await post(`/api/v1/resources/${e.id}/publish`, reviewer)).statusCode).toBe(403);
    const published = await post(`/api/v1/resources/${e.id}/publish`, admin, { comment: '发布' });
    expect(published.json()).toMatchObject({ status: 'published', publishedVersion: 1 });
    expect(published.json().history.map((h: { action: string }) => h.action)).toEqual([
      'publish',
      'approve',
      'submit',
      'create',
    ]);
    expect(published.json().history[2]).toMatchObject({
      comment: '请审核',
      fromStatus: 'draft',
      toStatus: 'submitted',
    });
    // now every signed-in user sees it
    expect((await get(`/api/v1/resources/${e.id}`, otherConsumer)).json()).toMatchObject({
      status: 'published',
      actions: [],
    });
    // retiring needs a reason
    expect(
      (await post(`/api/v1/resources/${e.id}/retire`, admin)).json().error.details,
    ).toMatchObject({ field: 'comment', rule: 'required' });
    const audit = await ctx.db.query(
      `SELECT action FROM audit_ledger WHERE target_id = $1 ORDER BY seq`,
      [e.id],
    );
    expect(audit.rows.map((r: { action: string }) => r.action)).toEqual([
      'resource.create',
      'resource.submit',
      'resource.approve',
      'resource.publish',
    ]);
  });

  it('sends a rejected entry back to draft only with a reason', async () => {
    const e = await createEntry(ctx.app, officer, { name: '出入境证件信息' });
    await post(`/api/v1/resources/${e.id}/submit`, officer);
    const noReason = await post(`/api/v1/resources/${e.id}/reject`, reviewer, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.details).toMatchObject({ field: 'comment', rule: 'required' });
    const rejected = await post(`/api/v1/resources/${e.id}/reject`, reviewer, {
      comment: '共享条件不明确',
    });
    expect(rejected.json()).toMatchObject({ status: 'draft', actions: [] });
    expect((await get(`/api/v1/resources/${e.id}`, officer)).json().actions).toEqual([
      'edit',
      'submit',
    ]);
  });

  it('keeps every change as a version and shows the diff of attributes and fields', async () => {
    const e = await createEntry(ctx.app, officer, { name: '暂住登记信息' });
    const fields = [...e.fields];
    fields[1] = { ...fields[1], label: '姓名（中文）', length: 100 };
    fields.splice(2, 1);
    fields.push({
      name: 'address',
      label: '暂住地址',
      type: 'string',
      length: 200,
      required: false,
      sensitivity: 'personal',
      piiKind: 'address',
      masking: 'generalise',
    });
    const saved = await patch(`/api/v1/resources/${e.id}`, officer, {
      summary: '新摘要',
      updateFrequency: 'weekly',
      fields,
      comment: '补充地址',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json().version).toBe(2);
    // saving the same content again is no new version
    expect(
      (await patch(`/api/v1/resources/${e.id}`, officer, { summary: '新摘要' })).json().version,
    ).toBe(2);
    const versions = (await get(`/api/v1/resources/${e.id}/versions`, officer)).json().items;
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions[0]).toMatchObject({ comment: '补充地址', current: true });
    const diff = (await get(`/api/v1/resources/${e.id}/diff?from=1&to=2`, officer)).json();
    expect(diff.attributes).toEqual(
      expect.arrayContaining([
        { attribute: 'summary', from: e.summary, to: '新摘要' },
        { attribute: 'updateFrequency', from: 'daily', to: 'weekly' },
      ]),
    );
    expect(diff.attributes).toHaveLength(2);
    expect(diff.fields.added.map((f: { name: string }) => f.name)).toEqual(['address']);
    expect(diff.fields.removed.map((f: { name: string }) => f.name)).toEqual(['birth_date']);
    expect(diff.fields.changed).toEqual([
      {
        name: 'full_name',
        label: '姓名（中文）',
        changes: [
          { attribute: 'label', from: '姓名', to: '姓名（中文）' },
          { attribute: 'length', from: 50, to: 100 },
        ],
      },
    ]);
    expect(
      (await get(`/api/v1/resources/${e.id}/diff?from=1&to=9`, officer)).json().error.details,
    ).toMatchObject({ field: 'to' });
  });

  it('keeps a published entry visible as published while its revision is reviewed, and re-publishing runs the hooks', async () => {
    const seen: { version: number; fields: string[] }[] = [];
    const off = registerPublishHook(async (_tx, r) => {
      seen.push({ version: r.version, fields: r.fields.map((f) => f.name) });
    });
    const e = await createEntry(ctx.app, officer, { name: '流动人口信息' });
    await publishEntry(ctx.app, e.id, { provider: officer, reviewer, admin });
    expect(seen).toEqual([{ version: 1, fields: ['id_card_no', 'full_name', 'birth_date'] }]);
    const added = [
      ...e.fields,
      {
        name: 'phone',
        label: '联系电话',
        type: 'string',
        required: false,
        sensitivity: 'personal',
        piiKind: 'mobile',
        masking: 'partial',
      },
    ];
    const revised = await patch(`/api/v1/resources/${e.id}`, officer, {
      name: '流动人口登记信息',
      fields: added,
    });
    expect(revised.json()).toMatchObject({ status: 'draft', version: 2, publishedVersion: 1 });
    const outsider = (await get(`/api/v1/resources/${e.id}`, otherConsumer)).json();
    expect(outsider).toMatchObject({ status: 'published', version: 1, name: '流动人口信息' });
    expect(outsider.fields).toHaveLength(3);
    const listed = (
      await get(`/api/v1/resources?provider=${org.id}&status=published`, otherConsumer)
    ).json().items;
    expect(listed.find((r: { id: string }) => r.id === e.id)).toMatchObject({
      name: '流动人口信息',
      status: 'published',
    });
    expect(await withTx(ctx.db, (tx) => getPoolResource(tx, e.id))).toMatchObject({
      version: 1,
      status: 'published',
    });
    await publishEntry(ctx.app, e.id, { provider: officer, reviewer, admin });
    expect(seen[1]).toEqual({
      version: 2,
      fields: ['id_card_no', 'full_name', 'birth_date', 'phone'],
    });
    expect((await get(`/api/v1/resources/${e.id}`, otherConsumer)).json()).toMatchObject({
      version: 2,
      name: '流动人口登记信息',
    });
    off();
  });

  it('rolls publishing back when a publish hook fails', async () => {
    const off = registerPublishHook(async () => {
      throw new Error('pool table failed');
    });
    const e = await createEntry(ctx.app, officer, { name: '重点人员信息' });
    await post(`/api/v1/resources/${e.id}/submit`, officer);
    await post(`/api/v1/resources/${e.id}/approve`, reviewer);
    const res = await post(`/api/v1/resources/${e.id}/publish`, admin);
    expect(res.statusCode).toBe(500);
    off();
    expect((await get(`/api/v1/resources/${e.id}`, officer)).json()).toMatchObject({
      status: 'approved',
      publishedVersion: null,
    });
    expect((await get(`/api/v1/resources/${e.id}`, otherConsumer)).statusCode).toBe(404);
  });

  it('lets no one outside the provider body edit or create for it', async () => {
    const e = await createEntry(ctx.app, officer, { name: '户口簿信息' });
    await publishEntry(ctx.app, e.id, { provider: officer, reviewer, admin });
    const res = await patch(`/api/v1/resources/${e.id}`, otherOfficer, { summary: '别人改' });
    expect(res.statusCode).toBe(403);
    expect((await get(`/api/v1/resources/${e.id}`, officer)).json().summary).toBe(e.summary);
    const forOther = await post(
      '/api/v1/resources',
      otherOfficer,
      entryBody({ name: '冒名条目', providerOrgId: org.id }),
    );
    expect(forOther.statusCode).toBe(403);
    expect(
      (await post('/api/v1/resources', consumer, entryBody({ name: '消费者条目' }))).statusCode,
    ).toBe(403);
    const dup = await post('/api/v1/resources', officer, entryBody({ name: '户口簿信息' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details).toMatchObject({ field: 'name', rule: 'unique' });
  });

  it('serves the category tree', async () => {
    const tree = (await get('/api/v1/catalog/categories', consumer)).json().items;
    expect(
      tree
        .find((c: { code: string }) => c.code === '01')
        .children.map((c: { name: string }) => c.name),
    ).toContain('法人');
  });
});
