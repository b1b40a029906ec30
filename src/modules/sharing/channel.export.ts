import { PassThrough, Transform, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { to as copyTo } from 'pg-copy-streams';
import type { Db } from '../../db/pool.js';
import type { CryptoSuite } from '../../lib/crypto.js';
import { XLSX_TYPE } from '../../lib/xlsx.js';
import { col, poolTable } from '../pool/index.js';
import { selectList, type ReadGrant } from './channel.reads.js';

export type ExportFormat = 'csv' | 'ndjson' | 'xlsx';
export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  xlsx: XLSX_TYPE,
};

/**
 * The whole channel as one masked query. Salt and row-filter values reach it as session settings
 * (COPY takes no parameters), never as literals.
 */
function exportQuery(grant: ReadGrant, suite: CryptoSuite): string {
  const filter = Object.keys(grant.channel.row_filter ?? {}).map((name, i) => {
    const f = grant.entry!.fields.find((x) => x.name === name);
    return f ? `AND p.${col(f)}::text = ANY (ARRAY(SELECT jsonb_array_elements_text(current_setting('gongshu.filter')::jsonb -> ${i})))` : '';
  }).join(' ');
  return `SELECT ${selectList(grant, () => "current_setting('gongshu.salt')", suite)} FROM ${poolTable(grant.entry!)} p WHERE NOT p._deleted ${filter} ORDER BY p._row_id`;
}

/** Splits a byte stream into lines, each parsed as JSON. */
function ndjsonRows(): Transform {
  let rest = '';
  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _enc, done) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line) this.push(JSON.parse(line));
      done();
    },
    flush(done) {
      if (rest) this.push(JSON.parse(rest));
      done();
    },
  });
}

/**
 * Streams the channel's rows straight out of `COPY (SELECT …) TO STDOUT`: CSV (with a BOM so Excel
 * reads Chinese), NDJSON, or XLSX written row by row. `onDone` receives the row count when the
 * copy ends, or the error.
 */
export async function exportChannel(db: Db, grant: ReadGrant, format: ExportFormat, suite: CryptoSuite, onDone: (err: Error | null, rows: number) => void): Promise<Readable> {
  const client = await db.connect();
  const filterValues = Object.values(grant.channel.row_filter ?? {});
  let finished = false;
  const finish = (err: Error | null, rows: number) => {
    if (finished) return;
    finished = true;
    client.query(err ? 'ROLLBACK' : 'COMMIT').catch(() => undefined).finally(() => client.release(err ?? undefined));
    onDone(err, rows);
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SELECT set_config('gongshu.salt', $1, true), set_config('gongshu.filter', $2, true)`, [grant.channel.salt, JSON.stringify(filterValues)]);
  } catch (err) {
    finish(err as Error, 0);
    throw err;
  }
  const query = exportQuery(grant, suite);
  const copy = format === 'csv'
    ? client.query(copyTo(`COPY (${query}) TO STDOUT WITH (FORMAT csv, HEADER true)`))
    // one JSON document per line: a quote and delimiter that JSON never contains keep COPY from escaping anything
    : client.query(copyTo(`COPY (SELECT row_to_json(t)::text FROM (${query}) t) TO STDOUT WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`));
  copy.on('error', (err) => finish(err, 0));
  copy.on('end', () => finish(null, copy.rowCount));

  if (format === 'ndjson') return copy;
  if (format === 'csv') {
    const out = new PassThrough();
    out.write('\ufeff');
    copy.pipe(out);
    copy.on('error', (err) => out.destroy(err));
    return out;
  }
  const out = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: false });
  const sheet = book.addWorksheet('data');
  sheet.addRow(grant.fields.map((f) => `${f.label} (${f.name})`)).commit();
  const rows = copy.pipe(ndjsonRows());
  copy.on('error', (err) => out.destroy(err));
  (async () => {
    for await (const row of rows) sheet.addRow(grant.fields.map((f) => (row as Record<string, unknown>)[f.name] ?? null)).commit();
    sheet.commit();
    await book.commit();
  })().catch((err) => out.destroy(err));
  return out;
}
