import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  buildOrg,
  buildUser,
  login,
  signedInAdmin,
  type TestContext,
} from './helpers.js';
import { enterprise, enterpriseCsv, enterpriseResource, poolResource } from './factories/pool.js';
import type { PoolEntry } from '../src/modules/pool/index.js';

let ctx: TestContext;
let officer: string;
let providerId: string;
let admin: string;

beforeAll(async () => {
  ctx = await buildTestApp();
  const org = await buildOrg(ctx.db, { name: '市场监督管理局' });
  providerId = org.id;
  officer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['officer'])).username);
  admin = (await signedInAdmin(ctx)).cookie;
});
afterAll(() => ctx.close());

async function freshResource(overrides = {}) {
  return poolResource(ctx.db, enterpriseResource(providerId, overrides));
}

function post(
  entry: PoolEntry,
  payload: string | Buffer,
  contentType: string,
  query = '',
  headers: Record<string, string> = {},
  cookie = officer,
) {
  return ctx.app.inject({
    method: 'POST',
    url: `/api/v1/resources/${entry.resourceId}/batches${query}`,
    headers: { cookie, 'content-type': contentType, ...headers },
    payload,
  });
}

async function live(entry: PoolEntry) {
  const { rows } = await ctx.db.query(
    `SELECT * FROM pool."${entry.tableName}" WHERE NOT _deleted ORDER BY _row_id`,
  );
  return rows;
}

const get = (url: string, cookie = officer) =>
  ctx.app.inject({ method: 'GET', url, headers: { cookie } });

describe('loading a CSV', () => {
  it('loads good rows, lists bad rows with field, rule and value, and types the columns', async () => {
    const entry = await freshResource();
    const rows = [
      enterprise(1),
      enterprise(2),
      enterprise(3, { uscc: '91330100MA2XXXXX1X' }), // bad check digit
      enterprise(4, { phone: '12345', status: '歇业' }), // two broken rules on one row
      enterprise(5, { founded: '2023-02-30', employees: '-1' }),
      enterprise(6, { name: '含"引号",逗号\n和换行的企业' }),
    ];
    const res = await post(entry, enterpriseCsv(rows), 'text/csv', '?mode=append');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'committed',
      accepted: 3,
      rejected: 3,
      replayed: false,
    });
    const pooled = await live(entry);
    expect(pooled.map((r) => r.c_1)).toEqual([rows[0].uscc, rows[1].uscc, rows[5].uscc]);
    expect(pooled[2].c_2).toBe('含"引号",逗号\n和换行的企业');
    expect(pooled[0]).toMatchObject({
      c_4: '101.50',
      c_5: '2015-06-01',
      c_8: 11,
      c_9: true,
      _deleted: false,
    });
    expect(pooled[0].c_10.toISOString()).toBe('2026-01-05T01:30:00.000Z');

    const rejected = await get(`/api/v1/batches/${res.json().batchId}/rejected`);
    expect(rejected.json().items).toEqual([
      { row: 3, field: 'uscc', rule: 'uscc', value: '91330100MA2XXXXX1X' },
      { row: 4, field: 'phone', rule: 'mobile', value: '12345' },
      { row: 4, field: 'status', rule: 'enum', value: '歇业' },
      { row: 5, field: 'employees', rule: 'range', value: '-1' },
      { row: 5, field: 'founded', rule: 'type', value: '2023-02-30' },
    ]);
    const csv = await get(`/api/v1/batches/${res.json().batchId}/rejected?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toBe('row,field,rule,value');
    expect(csv.body).toContain('4,status,enum,歇业');
  });

  it('accepts machine names as the header, and refuses an unknown column before loading anything', async () => {
    const entry = await freshResource();
    expect((await post(entry, enterpriseCsv([enterprise(1)], false), 'text/csv')).statusCode).toBe(
      201,
    );
    const bad = await post(entry, '统一社会信用代码,企业名称,不存在的列\nX,Y,Z\n', 'text/csv');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details).toMatchObject({
      field: 'header.3',
      rule: 'unknown_field',
      column: '不存在的列',
    });
  });

  it('fails a malformed file as a whole and loads nothing', async () => {
    const entry = await freshResource();
    const csv = `${enterpriseCsv([enterprise(1), enterprise(2)])}only,three,cells\n`;
    const res = await post(entry, csv, 'text/csv');
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'BATCH_FAILED',
      details: { reason: 'malformed', line: 4 },
    });
    expect(await live(entry)).toHaveLength(0);
    const batch = await get(`/api/v1/batches/${res.json().error.details.batchId}`);
    expect(batch.json()).toMatchObject({ status: 'failed', error: { reason: 'malformed' } });
  });
});

describe('modes', () => {
  it('upserts JSON by the identifier: inserts new, updates changed, leaves unchanged alone', async () => {
    const entry = await freshResource();
    const a = enterprise(1),
      b = enterprise(2),
      c = enterprise(3);
    expect(
      (await post(entry, JSON.stringify([a, b]), 'application/json', '?mode=upsert')).json(),
    ).toMatchObject({ accepted: 2 });
    const res = await post(
      entry,
      JSON.stringify([{ ...a, name: '改名后的企业' }, b, c]),
      'application/json',
      '?mode=upsert',
    );
    expect(res.json().batch).toMatchObject({
      status: 'committed',
      inserted: 1,
      updated: 1,
      unchanged: 1,
      deleted: 0,
    });
    const pooled = await live(entry);
    expect(pooled.map((r) => [r.c_1, r.c_2])).toEqual([
      [a.uscc, '改名后的企业'],
      [b.uscc, b.name],
      [c.uscc, c.name],
    ]);
  });

  it('loads NDJSON, listing lines it cannot read', async () => {
    const entry = await freshResource();
    const body = [
      JSON.stringify(enterprise(1)),
      '{"uscc": broken',
      JSON.stringify(enterprise(2)),
      JSON.stringify({ ...enterprise(3), employees: 42, listed: true, capital: null }),
    ].join('\n');
    const res = await post(entry, body, 'application/x-ndjson', '?mode=upsert');
    expect(res.json()).toMatchObject({ accepted: 3, rejected: 1 });
    const rejected = (await get(`/api/v1/batches/${res.json().batchId}/rejected`)).json().items;
    expect(rejected).toEqual([
      { row: 2, field: '*', rule: 'malformed_json', value: '{"uscc": broken' },
    ]);
    expect((await live(entry))[2]).toMatchObject({ c_8: 42, c_9: true, c_4: null });
  });

  it('appends, refusing identifiers already pooled or repeated in the batch', async () => {
    const entry = await freshResource();
    await post(entry, enterpriseCsv([enterprise(1)]), 'text/csv', '?mode=append');
    const res = await post(
      entry,
      enterpriseCsv([enterprise(1), enterprise(2), enterprise(2, { name: '重复' })]),
      'text/csv',
      '?mode=append',
    );
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 2 });
    const rules = (await get(`/api/v1/batches/${res.json().batchId}/rejected`))
      .json()
      .items.map((r: { row: number; rule: string }) => [r.row, r.rule]);
    expect(rules).toEqual([
      [1, 'unique'],
      [3, 'unique_in_batch'],
    ]);
  });

  it('refuses upsert on a resource without an identifier', async () => {
    const entry = await freshResource({ identifierField: null });
    const res = await post(entry, enterpriseCsv([enterprise(1)]), 'text/csv', '?mode=upsert');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toMatchObject({ field: 'mode', rule: 'identifier_required' });
  });

  it('a snapshot replaces all: absent rows are marked deleted, not erased, and come back when sent again', async () => {
    const entry = await freshResource();
    const [a, b, c] = [enterprise(1), enterprise(2), enterprise(3)];
    await post(entry, enterpriseCsv([a, b, c]), 'text/csv', '?mode=snapshot');
    const res = await post(
      entry,
      enterpriseCsv([a, { ...c, status: '注销' }]),
      'text/csv',
      '?mode=snapshot',
    );
    expect(res.json().batch).toMatchObject({ inserted: 0, updated: 1, deleted: 1, unchanged: 1 });
    expect((await live(entry)).map((r) => r.c_1)).toEqual([a.uscc, c.uscc]);
    const all = await ctx.db.query(
      `SELECT c_1, _deleted FROM pool."${entry.tableName}" ORDER BY _row_id`,
    );
    expect(all.rows).toEqual([
      { c_1: a.uscc, _deleted: false },
      { c_1: b.uscc, _deleted: true },
      { c_1: c.uscc, _deleted: false },
    ]);
    await post(
      entry,
      enterpriseCsv([a, b, { ...c, status: '注销' }]),
      'text/csv',
      '?mode=snapshot',
    );
    expect((await live(entry)).map((r) => r.c_1)).toEqual([a.uscc, b.uscc, c.uscc]);
  });

  it('a snapshot keeps a pooled row whose new version was rejected', async () => {
    const entry = await freshResource();
    const [a, b] = [enterprise(1), enterprise(2)];
    await post(entry, enterpriseCsv([a, b]), 'text/csv', '?mode=snapshot');
    const res = await post(
      entry,
      enterpriseCsv([a, { ...b, phone: 'not-a-phone' }]),
      'text/csv',
      '?mode=snapshot',
    );
    expect(res.json().batch).toMatchObject({ accepted: 1, rejected: 1, deleted: 0 });
    expect(await live(entry)).toHaveLength(2);
  });
});

describe('multipart uploads', () => {
  const multipart = (name: string, type: string, content: Buffer) => {
    const boundary = `----gongshu${Date.now()}`;
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { body, type: `multipart/form-data; boundary=${boundary}` };
  };

  it('loads a CSV file', async () => {
    const entry = await freshResource();
    const m = multipart(
      '企业.csv',
      'text/csv',
      Buffer.from(`\ufeff${enterpriseCsv([enterprise(1), enterprise(2)])}`),
    );
    const res = await post(entry, m.body, m.type, '?mode=upsert');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().batch).toMatchObject({ accepted: 2, format: 'csv', fileName: '企业.csv' });
  });

  it('loads an XLSX file with real dates and numbers', async () => {
    const entry = await freshResource();
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('企业');
    ws.addRow(['统一社会信用代码', '企业名称', '注册资本', '成立日期', '登记状态', '从业人数']);
    const [a, b] = [enterprise(1), enterprise(2)];
    ws.addRow([a.uscc, a.name, 500.5, new Date(Date.UTC(2019, 4, 20)), '存续', 12]);
    ws.addRow([b.uscc, b.name, 'lots', new Date(Date.UTC(2020, 0, 2)), '存续', 3]);
    const m = multipart(
      '企业.xlsx',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      Buffer.from(await wb.xlsx.writeBuffer()),
    );
    const res = await post(entry, m.body, m.type, '?mode=upsert');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().batch).toMatchObject({ accepted: 1, rejected: 1, format: 'xlsx' });
    expect((await live(entry))[0]).toMatchObject({
      c_1: a.uscc,
      c_4: '500.5',
      c_5: '2019-05-20',
      c_8: 12,
    });
  });
});

describe('batches as units', () => {
  it('loads once under the same Idempotency-Key', async () => {
    const entry = await freshResource();
    const csv = enterpriseCsv([enterprise(1), enterprise(2)]);
    const first = await post(entry, csv, 'text/csv', '?mode=append', {
      'idempotency-key': 'push-2026-01-05',
    });
    const again = await post(entry, csv, 'text/csv', '?mode=append', {
      'idempotency-key': 'push-2026-01-05',
    });
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({
      batchId: first.json().batchId,
      replayed: true,
      accepted: 2,
    });
    expect(await live(entry)).toHaveLength(2);
    expect((await get(`/api/v1/resources/${entry.resourceId}/batches`)).json().total).toBe(1);
  });

  it('strict mode: one bad row rejects the whole batch, and the bad rows are still listed', async () => {
    const entry = await freshResource();
    const res = await post(
      entry,
      enterpriseCsv([enterprise(1), enterprise(2, { uscc: 'bad' })]),
      'text/csv',
      '?mode=upsert&strict=true',
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'BATCH_REJECTED',
      details: { received: 2, rejected: 1 },
    });
    expect(await live(entry)).toHaveLength(0);
    const id = res.json().error.details.batchId;
    expect((await get(`/api/v1/batches/${id}`)).json()).toMatchObject({
      status: 'rejected',
      accepted: 0,
      rejected: 1,
    });
    expect((await get(`/api/v1/batches/${id}/rejected`)).json().items).toEqual([
      { row: 2, field: 'uscc', rule: 'uscc', value: 'bad' },
    ]);
    // without strict the good row goes in
    expect(
      (
        await post(
          entry,
          enterpriseCsv([enterprise(1), enterprise(2, { uscc: 'bad' })]),
          'text/csv',
          '?mode=upsert',
        )
      ).json(),
    ).toMatchObject({ accepted: 1, rejected: 1 });
  });

  it('refuses another body’s resource as not found, and lets the platform admin load', async () => {
    const entry = await freshResource();
    const other = await buildOrg(ctx.db);
    const stranger = await login(
      ctx.app,
      (await buildUser(ctx.db, other.id, ['officer'])).username,
    );
    const res = await post(entry, enterpriseCsv([enterprise(1)]), 'text/csv', '', {}, stranger);
    expect(res.statusCode).toBe(404);
    expect((await get(`/api/v1/resources/${entry.resourceId}/batches`, stranger)).statusCode).toBe(
      404,
    );
    expect((await get(`/api/v1/resources/${entry.resourceId}/quality`, stranger)).statusCode).toBe(
      404,
    );
    expect(
      (await post(entry, enterpriseCsv([enterprise(1)]), 'text/csv', '', {}, admin)).statusCode,
    ).toBe(201);
    const consumer = await login(
      ctx.app,
      (await buildUser(ctx.db, providerId, ['consumer'])).username,
    );
    expect(
      (await post(entry, enterpriseCsv([enterprise(1)]), 'text/csv', '', {}, consumer)).statusCode,
    ).toBe(403);
    expect(await live(entry)).toHaveLength(1);
  });

  it('keeps a change history of inserts, updates and deletes, readable since a cursor', async () => {
    const entry = await freshResource();
    const [a, b] = [enterprise(1), enterprise(2)];
    const first = (await post(entry, enterpriseCsv([a, b]), 'text/csv', '?mode=snapshot')).json()
      .batchId;
    const second = (
      await post(entry, enterpriseCsv([{ ...a, name: '新名称' }]), 'text/csv', '?mode=snapshot')
    ).json().batchId;
    const feed = (await get(`/api/v1/resources/${entry.resourceId}/changes?since=0`)).json();
    expect(
      feed.items.map((c: { op: string; batchId: string; row: { uscc: string } }) => [
        c.op,
        c.batchId,
        c.row.uscc,
      ]),
    ).toEqual([
      ['insert', first, a.uscc],
      ['insert', first, b.uscc],
      ['delete', second, b.uscc],
      ['update', second, a.uscc],
    ]);
    expect(feed.items[3].row.name).toBe('新名称');
    const since = feed.items[1].cursor;
    const later = (
      await get(`/api/v1/resources/${entry.resourceId}/changes?since=${since}`)
    ).json();
    expect(later.items.map((c: { op: string }) => c.op)).toEqual(['delete', 'update']);
    expect(later.nextCursor).toBe(feed.items[3].cursor);
  });
});

describe('catalog versions', () => {
  it('adds a column when a new version adds a field, and loads into it', async () => {
    const resource = enterpriseResource(providerId);
    const entry = await poolResource(ctx.db, resource);
    await post(entry, enterpriseCsv([enterprise(1)]), 'text/csv');
    const v2 = await poolResource(ctx.db, {
      ...resource,
      version: 2,
      fields: [
        ...resource.fields,
        { name: 'website', label: '网站', type: 'string', required: false, sensitivity: 'public' },
      ],
    });
    expect(v2.fields.at(-1)).toMatchObject({ name: 'website', column: 'c_11' });
    const res = await post(
      v2,
      JSON.stringify([{ ...enterprise(2), website: 'https://example.cn' }]),
      'application/json',
      '?mode=upsert',
    );
    expect(res.json()).toMatchObject({ accepted: 1 });
    expect((await live(v2)).map((r) => r.c_11)).toEqual([null, 'https://example.cn']);
  });
});
