import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, buildUser, login, type TestContext } from './helpers.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let ctx: TestContext;
let officer: string;
let otherOfficer: string;
let systemId: string;

beforeAll(async () => {
  ctx = await buildTestApp();
  const org = await buildOrg(ctx.db, { name: '市人社局' });
  const other = await buildOrg(ctx.db, { name: '市卫健委' });
  officer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['officer'])).username);
  otherOfficer = await login(ctx.app, (await buildUser(ctx.db, other.id, ['officer'])).username);
  const sys = await ctx.app.inject({
    method: 'POST',
    url: '/api/v1/systems',
    headers: { cookie: officer },
    payload: { name: '社保业务系统', owner: '信息科', constructionStage: 'online' },
  });
  expect(sys.statusCode, sys.body).toBe(201);
  systemId = sys.json().id;
});
afterAll(() => ctx.close());

async function sheet(rows: (string | number | null)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const ws = book.addWorksheet('表结构');
  ws.addRow([
    '数据库名',
    '表名',
    '表说明',
    '字段名',
    '字段类型',
    '长度',
    '可为空',
    '主键',
    '字段说明',
  ]);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}
const upload = (cookie: string, body: Buffer, system = systemId) =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/systems/${system}/tables/import`,
    headers: { cookie, 'content-type': XLSX },
    payload: body,
  });
const tableCount = async () =>
  Number((await ctx.db.query('SELECT count(*) FROM system_tables')).rows[0].count);

describe('table structures from a spreadsheet', () => {
  it('registers each table of the sheet with its columns', async () => {
    const res = await upload(
      officer,
      await sheet([
        [
          'sbk',
          'insured_person',
          '参保人员表',
          'id_number',
          'varchar',
          18,
          '否',
          '是',
          '公民身份号码',
        ],
        ['sbk', 'insured_person', null, 'name', 'varchar', 50, '否', '否', '姓名'],
        ['sbk', 'insured_person', null, 'start_date', 'date', null, '是', null, '参保日期'],
        ['sbk', 'contribution', '缴费记录表', 'record_id', 'bigint', null, '否', '是', null],
      ]),
    );
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items.map((t: { name: string }) => t.name)).toEqual(['insured_person', 'contribution']);
    expect(items[0]).toMatchObject({ databaseName: 'sbk', comment: '参保人员表', source: 'xlsx' });
    expect(items[0].columns).toEqual([
      {
        name: 'id_number',
        type: 'varchar',
        length: 18,
        nullable: false,
        primaryKey: true,
        comment: '公民身份号码',
      },
      {
        name: 'name',
        type: 'varchar',
        length: 50,
        nullable: false,
        primaryKey: false,
        comment: '姓名',
      },
      {
        name: 'start_date',
        type: 'date',
        length: null,
        nullable: true,
        primaryKey: false,
        comment: '参保日期',
      },
    ]);
    const listed = (
      await ctx.app.inject({
        method: 'GET',
        url: `/api/v1/systems/${systemId}/tables`,
        headers: { cookie: officer },
      })
    ).json().items;
    expect(listed.map((t: { name: string }) => t.name).sort()).toEqual([
      'contribution',
      'insured_person',
    ]);
  });

  it('refuses the whole sheet when a row is bad, naming each bad row, and registers nothing', async () => {
    const before = await tableCount();
    const res = await upload(
      officer,
      await sheet([
        ['sbk', 'payment', '待遇发放表', 'pay_id', 'bigint', null, '否', '是', null],
        ['sbk', 'payment', null, 'amount', null, null, '否', '否', '金额'],
        ['sbk', 'payment', null, 'bank', 'varchar', -3, '也许', null, null],
      ]),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toMatchObject({
      rule: 'sheet_rows',
      rows: [
        { row: 3, column: '字段类型', rule: 'required' },
        { row: 4, column: '长度', rule: 'positive_integer', value: '-3' },
        { row: 4, column: '可为空', rule: 'yes_no', value: '也许' },
      ],
    });
    expect(await tableCount()).toBe(before);
  });

  it("refuses another body's system and a file that is not a spreadsheet", async () => {
    const before = await tableCount();
    expect(
      (
        await upload(
          otherOfficer,
          await sheet([['x', 't', null, 'c', 'int', null, null, null, null]]),
        )
      ).statusCode,
    ).toBe(404);
    const junk = await upload(officer, Buffer.from('not a spreadsheet'));
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.details).toMatchObject({ field: 'body', rule: 'xlsx' });
    expect(await tableCount()).toBe(before);
  });

  it('offers the template, which reads back as its example table', async () => {
    const res = await ctx.app.inject({
      method: 'GET',
      url: '/api/v1/registry/tables-template.xlsx',
      headers: { cookie: officer },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    const imported = await upload(officer, res.rawPayload);
    expect(imported.statusCode, imported.body).toBe(200);
    expect(imported.json().items).toEqual([
      expect.objectContaining({
        name: 'person_base',
        columns: [
          expect.objectContaining({ name: 'id_number', primaryKey: true }),
          expect.objectContaining({ name: 'name' }),
        ],
      }),
    ]);
  });
});
