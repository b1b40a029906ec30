import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, buildUser, login, type TestContext } from './helpers.js';
import { createEntry, publishEntry } from './catalog.fixtures.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

describe('catalog spreadsheets', () => {
  let ctx: TestContext;
  let officer: string, otherOfficer: string, consumer: string, reviewer: string, admin: string;
  let published: { id: string; code: string }, draft: { id: string; code: string };

  beforeAll(async () => {
    ctx = await buildTestApp();
    const authority = await buildOrg(ctx.db, { type: 'authority' });
    const org = await buildOrg(ctx.db, { name: '市卫生健康委员会' });
    const other = await buildOrg(ctx.db, { name: '市教育局' });
    officer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['officer'])).username);
    consumer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['consumer'])).username);
    otherOfficer = await login(ctx.app, (await buildUser(ctx.db, other.id, ['officer'])).username);
    reviewer = await login(ctx.app, (await buildUser(ctx.db, authority.id, ['reviewer'])).username);
    admin = await login(
      ctx.app,
      (await buildUser(ctx.db, authority.id, ['platform_admin'])).username,
    );
    published = await createEntry(ctx.app, officer, {
      name: '出生医学证明信息',
      categoryCode: '0202',
    });
    await publishEntry(ctx.app, published.id, { provider: officer, reviewer, admin });
    draft = await createEntry(ctx.app, officer, {
      name: '医师执业注册信息',
      categoryCode: '0202',
      shareType: 'unconditional',
      legalBasis: null,
      shareConditions: null,
    });
  });
  afterAll(() => ctx.close());

  const download = async (cookie: string, query = '') => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/catalog/export.xlsx${query}`,
      headers: { cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return wb;
  };
  const upload = (cookie: string, body: Buffer, query = '') =>
    ctx.app.inject({
      method: 'POST',
      url: `/api/v1/catalog/import${query}`,
      headers: { cookie, 'content-type': XLSX },
      payload: body,
    });
  const header = (ws: ExcelJS.Worksheet) => ws.getRow(1).values as string[];
  const colOf = (ws: ExcelJS.Worksheet, name: string) => header(ws).indexOf(name);
  const counts = async () =>
    (
      await ctx.db.query(
        `SELECT (SELECT count(*) FROM resources)::int AS r, (SELECT count(*) FROM resource_versions)::int AS v`,
      )
    ).rows[0];

  it('exports one row per field with Chinese values, drop-down lists and instructions', async () => {
    const wb = await download(officer);
    const ws = wb.getWorksheet('资源目录')!;
    expect(header(ws).slice(1, 4)).toEqual(['资源代码', '资源名称', '资源摘要']);
    expect(ws.rowCount).toBe(1 + 3 + 3);
    const row = ws.getRow(2);
    expect(row.getCell(colOf(ws, '共享类型')).value).toMatch(/共享/);
    const types = [2, 3, 4].map((n) => ws.getRow(n).getCell(colOf(ws, '数据类型')).value);
    expect(types.sort()).toEqual(['字符型', '字符型', '日期型']);
    expect(ws.getCell(`Q2`).dataValidation).toMatchObject({ type: 'list' });
    expect(wb.getWorksheet('填写说明')).toBeTruthy();
    // another body's export holds only published entries
    const theirs = (await download(otherOfficer)).getWorksheet('资源目录')!;
    const names = new Set<string>();
    theirs.eachRow((r, n) => {
      if (n > 1) names.add(String(r.getCell(2).value));
    });
    expect([...names]).toEqual(['出生医学证明信息']);
  });

  it('round-trips: export, edit, import — updates, creates, reports the bad row and writes nothing of its entry', async () => {
    const wb = await download(officer, '?mine=true');
    const ws = wb.getWorksheet('资源目录')!;
    const c = (name: string) => colOf(ws, name);
    // edit: the draft gets a new summary on its first row
    let draftRow = 0;
    ws.eachRow((r, n) => {
      if (!draftRow && r.getCell(c('资源代码')).value === draft.code) draftRow = n;
    });
    ws.getRow(draftRow).getCell(c('资源摘要')).value = '医师执业注册、变更、注销信息（已修订）';
    // a new entry of two fields, only the first row carrying the entry's columns
    const add = (values: Record<string, string | number>) => {
      const row = ws.addRow([]);
      for (const [k, v] of Object.entries(values)) row.getCell(c(k)).value = v;
      return row.number;
    };
    const entry = {
      资源名称: '医疗机构执业许可信息',
      资源摘要: '医疗机构执业登记与校验信息',
      资源分类: '0202 医疗健康',
      共享类型: '无条件共享',
      开放类型: '无条件开放',
      安全级别: '一般',
      更新周期: '每月',
      标识类型: '统一社会信用代码',
      标识字段: 'org_code',
    };
    add({
      ...entry,
      信息项名称: 'org_code',
      信息项中文名: '统一社会信用代码',
      数据类型: '字符型',
      长度: 18,
      是否必填: '是',
      敏感级别: '公开',
    });
    add({ 信息项名称: 'org_name', 信息项中文名: '机构名称', 数据类型: '字符型', 敏感级别: '公开' });
    // a bad entry: its second row has a data type that does not exist
    add({
      ...entry,
      资源名称: '护士执业注册信息',
      标识类型: '无',
      标识字段: '',
      信息项名称: 'nurse_no',
      信息项中文名: '注册号',
      数据类型: '字符型',
      敏感级别: '内部',
    });
    const badRow = add({
      信息项名称: 'reg_date',
      信息项中文名: '注册日期',
      数据类型: '文本型',
      敏感级别: '内部',
    });
    const before = await counts();
    const res = await upload(officer, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report).toMatchObject({
      committed: true,
      created: 1,
      updated: 1,
      unchanged: 1,
      rejected: 1,
    });
    expect(report.rows.find((r: { outcome: string }) => r.outcome === 'rejected')).toMatchObject({
      row: badRow,
      name: '护士执业注册信息',
      reasons: [
        { field: '数据类型', rule: 'enum', message: expect.stringContaining(`第${badRow}行`) },
      ],
    });
    expect(report.rows.find((r: { outcome: string }) => r.outcome === 'updated')).toMatchObject({
      code: draft.code,
    });
    const after = await counts();
    expect(after).toEqual({ r: before.r + 1, v: before.v + 2 });
    const updated = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/resources/${draft.id}`,
        headers: { cookie: officer },
      })
    ).json();
    expect(updated).toMatchObject({
      summary: '医师执业注册、变更、注销信息（已修订）',
      version: 2,
    });
    const search = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/resources?q=${encodeURIComponent('执业许可')}`,
        headers: { cookie: officer },
      })
    ).json();
    const created = search.items.find((i: { name: string }) => i.name === '医疗机构执业许可信息');
    expect(created).toMatchObject({
      status: 'draft',
      fieldCount: 2,
      shareType: 'unconditional',
      openType: 'open',
    });
    expect(search.items.map((i: { name: string }) => i.name)).not.toContain('护士执业注册信息');
  });

  it('reports a rule the service enforces at the row and column it came from', async () => {
    const wb = await download(officer, `?q=${encodeURIComponent('出生医学证明')}`);
    const ws = wb.getWorksheet('资源目录')!;
    ws.getRow(2).getCell(colOf(ws, '共享依据')).value = null;
    const res = await upload(officer, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(res.json().rows).toEqual([
      expect.objectContaining({
        row: 2,
        outcome: 'rejected',
        reasons: [expect.objectContaining({ field: '共享依据', rule: 'required_for_share_type' })],
      }),
    ]);
  });

  it('with atomic=true writes nothing when one row is bad', async () => {
    const wb = await download(officer, '?mine=true');
    const ws = wb.getWorksheet('资源目录')!;
    ws.getRow(2).getCell(colOf(ws, '资源摘要')).value = '本应更新的摘要';
    const row = ws.addRow([]);
    row.getCell(colOf(ws, '资源名称')).value = '坏条目';
    row.getCell(colOf(ws, '信息项名称')).value = 'Bad Name';
    const before = await counts();
    const res = await upload(officer, Buffer.from(await wb.xlsx.writeBuffer()), '?atomic=true');
    expect(res.json()).toMatchObject({ committed: false, created: 0, updated: 0 });
    expect(res.json().rejected).toBeGreaterThan(0);
    expect(await counts()).toEqual(before);
  });

  it('refuses a consumer, another body’s codes, and a file that is not a spreadsheet', async () => {
    const wb = await download(officer, '?mine=true');
    const body = Buffer.from(await wb.xlsx.writeBuffer());
    expect((await upload(consumer, body)).statusCode).toBe(403);
    const before = await counts();
    const foreign = (await upload(otherOfficer, body)).json();
    expect(foreign.rows.every((r: { outcome: string }) => r.outcome === 'rejected')).toBe(true);
    expect(await counts()).toEqual(before);
    const junk = await upload(officer, Buffer.from('not a spreadsheet'));
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.details).toMatchObject({ field: 'file', rule: 'xlsx' });
  });
});
