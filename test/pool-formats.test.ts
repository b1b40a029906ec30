/**
 * The same bad input in each upload format gets the same answer (issue #26, findings 3 and 4): a
 * NUL byte in a cell, a column or key that names no field, a value of the wrong type, an empty
 * file — and no answer ever carries PostgreSQL's (or a parser's) own text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrg, buildTestApp, buildUser, login, type TestContext } from './helpers.js';
import { enterprise, enterpriseResource, poolResource } from './factories/pool.js';
import { handWrittenXlsx } from './factories/xlsx.js';
import type { PoolEntry } from '../src/modules/pool/index.js';

let ctx: TestContext;
let officer: string;
let providerId: string;

beforeAll(async () => {
  ctx = await buildTestApp();
  providerId = (await buildOrg(ctx.db, { name: '市场监督管理局' })).id;
  officer = await login(ctx.app, (await buildUser(ctx.db, providerId, ['officer'])).username);
});
afterAll(() => ctx.close());

type Format = 'csv' | 'json' | 'ndjson' | 'xlsx';
const TYPES: Record<Format, string> = {
  csv: 'text/csv',
  json: 'application/json',
  ndjson: 'application/x-ndjson',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `rows` as an upload in `format`: columns (keys) by machine name, in order of appearance. */
function upload(format: Format, rows: object[]): string | Buffer {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (format === 'json') return JSON.stringify(rows);
  if (format === 'ndjson') return rows.map((r) => JSON.stringify(r)).join('\n');
  const value = (r: object, c: string) => (r as Record<string, string | undefined>)[c] ?? null;
  const table = [columns, ...rows.map((r) => columns.map((c) => value(r, c)))];
  if (format === 'xlsx') return handWrittenXlsx(table);
  const cell = (v: string | number | null) =>
    v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v);
  return `${table.map((r) => r.map(cell).join(',')).join('\n')}\n`;
}

const fresh = () => poolResource(ctx.db, enterpriseResource(providerId));
const post = (entry: PoolEntry, format: Format, body: string | Buffer, query = '') =>
  ctx.app.inject({
    method: 'POST',
    url: `/api/v1/resources/${entry.resourceId}/batches${query}`,
    headers: { cookie: officer, 'content-type': TYPES[format] },
    payload: body,
  });
const get = (url: string) => ctx.app.inject({ method: 'GET', url, headers: { cookie: officer } });
const pooled = async (entry: PoolEntry) =>
  (
    await ctx.db.query(
      `SELECT c_1 AS uscc FROM pool."${entry.tableName}" WHERE NOT _deleted ORDER BY _row_id`,
    )
  ).rows.map((r) => r.uscc);
const batches = async (entry: PoolEntry) =>
  (
    await ctx.db.query('SELECT status FROM batches WHERE resource_id = $1', [entry.resourceId])
  ).rows.map((r) => r.status);

/** Text only PostgreSQL, the driver or a parser would write. */
function expectNoForeignText(body: string) {
  expect(body).not.toMatch(
    /invalid byte sequence|0x00|SQLSTATE|\bCOPY\b|syntax error|violates|disallowed character|pg_temp|c_\d+\b/i,
  );
}

const FORMATS: Format[] = ['csv', 'json', 'ndjson', 'xlsx'];

describe.each(FORMATS)('an upload as %s', (format) => {
  it('a cell holding a NUL byte: the row is rejected naming its field and rule, without database text, nothing of it pooled', async () => {
    const entry = await fresh();
    const [a, b, c, d] = [1, 2, 3, 4].map((i) => enterprise(i));
    const first = await post(
      entry,
      format,
      upload(format, [a, { ...b, name: '示范\u0000企业' }, c]),
      '?mode=upsert',
    );
    expectNoForeignText(first.body);
    if (format === 'xlsx') {
      // XML cannot hold a NUL: such a file is no spreadsheet, and is refused whole
      expect(first.statusCode, first.body).toBe(422);
      expect(first.json().error).toMatchObject({
        code: 'BATCH_FAILED',
        details: { reason: 'malformed', rule: 'xlsx_unreadable' },
      });
      const batch = await get(`/api/v1/batches/${first.json().error.details.batchId}`);
      expectNoForeignText(batch.body);
      expect(batch.json()).toMatchObject({ status: 'failed', error: { rule: 'xlsx_unreadable' } });
      expect(await pooled(entry)).toEqual([]);
      return;
    }
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ accepted: 2, rejected: 1 });
    const report = await get(`/api/v1/batches/${first.json().batchId}/rejected`);
    expectNoForeignText(report.body);
    expect(report.json().items).toEqual([
      { row: 2, field: 'name', rule: 'nul_byte', value: '示范␀企业' },
    ]);
    expect(await pooled(entry)).toEqual([a.uscc, c.uscc]);

    // into a pool that holds rows (staged, not straight in), the identifier holding the NUL
    const second = await post(
      entry,
      format,
      upload(format, [{ ...d, uscc: `${d.uscc.slice(0, 9)}\u0000${d.uscc.slice(10)}` }, b]),
      '?mode=upsert',
    );
    expectNoForeignText(second.body);
    expect(second.statusCode, second.body).toBe(201);
    expect(second.json()).toMatchObject({ accepted: 1, rejected: 1 });
    const items = (await get(`/api/v1/batches/${second.json().batchId}/rejected`)).json().items;
    expect(items).toContainEqual(
      expect.objectContaining({ row: 1, field: 'uscc', rule: 'nul_byte' }),
    );
    expect(await pooled(entry)).toEqual([a.uscc, c.uscc, b.uscc]);

    // strict: the batch is refused whole
    const strict = await post(
      entry,
      format,
      upload(format, [enterprise(5), { ...enterprise(6), legal_rep: '\u0000' }]),
      '?mode=upsert&strict=true',
    );
    expectNoForeignText(strict.body);
    expect(strict.statusCode).toBe(422);
    expect(strict.json().error.code).toBe('BATCH_REJECTED');
    expect(await pooled(entry)).toEqual([a.uscc, c.uscc, b.uscc]);
  });

  it('a column or key that names no field: the upload is refused whole, naming it, before anything is committed', async () => {
    const entry = await fresh();
    const rows = [enterprise(1), enterprise(2), { ...enterprise(3), extra: '多余' }];
    const res = await post(entry, format, upload(format, rows));
    expect(res.statusCode, res.body).toBe(400);
    const details = res.json().error.details;
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(details).toMatchObject({ rule: 'unknown_field', column: 'extra' });
    if (format === 'json' || format === 'ndjson') expect(details).toMatchObject({ row: 3 });
    else expect(details).toMatchObject({ field: 'header.11' });
    expect(await pooled(entry)).toEqual([]);
    expect(await batches(entry)).not.toContain('committed');
  });

  it('a value of the wrong type: the row is rejected naming its field, the others load', async () => {
    const entry = await fresh();
    const res = await post(
      entry,
      format,
      upload(format, [enterprise(1), { ...enterprise(2), employees: 'many' }]),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ accepted: 1, rejected: 1 });
    expect((await get(`/api/v1/batches/${res.json().batchId}/rejected`)).json().items).toEqual([
      { row: 2, field: 'employees', rule: 'type', value: 'many' },
    ]);
  });

  it('an empty file is refused before a batch is made', async () => {
    const entry = await fresh();
    const res = await post(entry, format, '');
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'body', rule: 'empty' },
    });
    expect(await batches(entry)).toEqual([]);
  });
});

describe('an XLSX upload', () => {
  it('a workbook without rows is refused as empty', async () => {
    const entry = await fresh();
    const res = await post(entry, 'xlsx', handWrittenXlsx([]));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.details).toMatchObject({ field: 'body', rule: 'empty' });
  });

  it('a file that is no workbook fails as malformed, saying nothing of the parser', async () => {
    const entry = await fresh();
    const res = await post(entry, 'xlsx', Buffer.from('PK\u0003\u0004 this is not a zip archive'));
    expectNoForeignText(res.body);
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'BATCH_FAILED',
      details: { reason: 'malformed', rule: 'xlsx_unreadable' },
    });
    expect(await pooled(entry)).toEqual([]);
  });
});

describe('the file name sent with an upload', () => {
  it('keeps it without control characters: a NUL in it is no reason to fail', async () => {
    const entry = await fresh();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${entry.resourceId}/batches`,
      headers: {
        cookie: officer,
        'content-type': 'text/csv',
        'x-file-name': encodeURIComponent('企业\u0000名单\n.csv'),
      },
      payload: upload('csv', [enterprise(1)]),
    });
    expectNoForeignText(res.body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().batch.fileName).toBe('企业名单.csv');
  });
});
