import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { to as copyTo } from 'pg-copy-streams';
import type { Db, Tx } from '../../db/pool.js';
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

/** Row ids per slice of an export: enough that a slice's planning and start are noise. */
export const SLICE_ROWS = 50_000;
/** Bytes of a slice held in memory ahead of its turn before its reader waits. */
const HOLD_BYTES = 8 * 1024 * 1024;

/**
 * The channel's rows with ids in [from, to) as one masked query. Salt and row-filter values reach
 * it as session settings (COPY takes no parameters), never as literals; the bounds are integers.
 */
function exportQuery(grant: ReadGrant, suite: CryptoSuite, range: [number, number] | null): string {
  const filter = Object.keys(grant.channel.row_filter ?? {})
    .map((name, i) => {
      const f = grant.entry!.fields.find((x) => x.name === name);
      return f
        ? `AND p.${col(f)}::text = ANY (ARRAY(SELECT jsonb_array_elements_text(current_setting('gongshu.filter')::jsonb -> ${i})))`
        : '';
    })
    .join(' ');
  const slice = range
    ? `AND p._row_id >= ${Math.trunc(range[0])} AND p._row_id < ${Math.trunc(range[1])}`
    : '';
  return `SELECT ${selectList(grant, () => "current_setting('gongshu.salt')", suite)} FROM ${poolTable(grant.entry!)} p WHERE NOT p._deleted ${filter} ${slice} ORDER BY p._row_id`;
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
 * A connection in a read-only repeatable-read transaction with the channel's salt and row filter
 * set, seeing `snapshot` (another reader's, exported) when given.
 */
async function openReader(db: Db, grant: ReadGrant, snapshot?: string): Promise<Tx> {
  const client = await db.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    // SET TRANSACTION SNAPSHOT takes no parameters; the id is PostgreSQL's own, checked to be one
    if (snapshot) {
      if (!/^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i.test(snapshot))
        throw new Error(`unexpected snapshot id ${snapshot}`);
      await client.query(`SET TRANSACTION SNAPSHOT '${snapshot}'`);
    }
    await client.query(
      `SELECT set_config('gongshu.salt', $1, true), set_config('gongshu.filter', $2, true)`,
      [grant.channel.salt, JSON.stringify(Object.values(grant.channel.row_filter ?? {}))],
    );
    return client;
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
}

/** A slice of an export while it is read: what it holds back, and how to let its reader go on. */
interface Slot {
  chunks: Buffer[];
  bytes: number;
  done: boolean;
  resume?: () => void;
}

/**
 * Runs the `count` COPY statements `copyOf(k)` on `readers`, each reader taking the next slice when
 * it is free, and writes their output to `out` in slice order: the slice due next streams straight
 * through (paused while `out` is full); a slice read ahead of its turn is held in memory (its
 * reader pauses at HOLD_BYTES), at most two per reader. Resolves with the COPY statements, whose
 * row counts are known once their readers have answered a later statement.
 */
function copySlices(
  readers: Tx[],
  count: number,
  copyOf: (k: number) => string,
  out: Writable,
): Promise<{ rowCount: number }[]> {
  return new Promise((resolve, reject) => {
    const copies: { rowCount: number }[] = [];
    const held = new Map<number, Slot>();
    const parked: (() => void)[] = [];
    let due = 0;
    let next = 0;
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      reject(err);
    };
    out.once('close', () => {
      if (due < count) fail(new Error('export aborted: the download was closed'));
    });
    /** Moves `due` past finished slices, writing out what each next one holds. */
    const advance = () => {
      while (held.get(due)?.done) {
        held.delete(due);
        due += 1;
        const slot = held.get(due);
        if (!slot) continue;
        for (const chunk of slot.chunks.splice(0)) out.write(chunk);
        slot.resume?.();
      }
      for (const resume of parked.splice(0)) resume();
      if (due === count && !failed) resolve(copies);
    };
    const take = (reader: Tx) => {
      if (failed || next === count) return;
      if (next >= due + 2 * readers.length) return void parked.push(() => take(reader));
      const k = next++;
      const slot: Slot = { chunks: [], bytes: 0, done: false };
      held.set(k, slot);
      const copy = reader.query(copyTo(copyOf(k)));
      copies.push(copy);
      copy.on('data', (chunk: Buffer) => {
        if (k !== due) {
          slot.chunks.push(chunk);
          slot.bytes += chunk.length;
          if (slot.bytes > HOLD_BYTES && !slot.resume) {
            copy.pause();
            slot.resume = () => copy.resume();
          }
          return;
        }
        if (!out.write(chunk)) {
          copy.pause();
          out.once('drain', () => copy.resume());
        }
      });
      copy.on('error', fail);
      copy.on('end', () => {
        slot.done = true;
        advance();
        take(reader);
      });
    };
    readers.forEach(take);
  });
}

/** Whether `db` would hand out a connection without waiting. */
function hasFreeConnection(db: Db): boolean {
  return db.waitingCount === 0 && (db.idleCount > 0 || db.totalCount < db.options.max);
}

/**
 * Streams the channel's rows straight out of `COPY (SELECT …) TO STDOUT`: CSV (with a BOM so Excel
 * reads Chinese), NDJSON, or XLSX written row by row. A large channel is read in slices of row ids
 * by up to `workers` connections sharing one snapshot (as pg_dump does), so masking runs on several
 * of the server's cores; the rows still leave in order. `onDone` receives the row count when the
 * copy ends, or the error.
 */
export async function exportChannel(
  db: Db,
  grant: ReadGrant,
  format: ExportFormat,
  suite: CryptoSuite,
  onDone: (err: Error | null, rows: number) => void,
  workers = 2,
): Promise<Readable> {
  const lead = await openReader(db, grant);
  const readers = [lead];
  /**
   * Ends every reader's transaction: committed, or with `err` the connection dropped (a COPY may
   * still run on it).
   */
  const close = (err: Error | null) =>
    Promise.all(
      readers.map(async (r) => {
        if (!err) await r.query('COMMIT').catch(() => undefined);
        r.release(err ?? undefined);
      }),
    );
  let slices = 1;
  let first = 0;
  try {
    const {
      rows: [span],
    } = await lead.query(
      `SELECT min(_row_id) AS lo, max(_row_id) AS hi, pg_export_snapshot() AS snapshot FROM ${poolTable(grant.entry!)}`,
    );
    if (span.lo !== null) {
      first = Number(span.lo);
      slices = Math.ceil((Number(span.hi) - first + 1) / SLICE_ROWS);
    }
    // more readers only from connections free now: exports waiting on each other's would never
    // start
    while (readers.length < Math.min(workers, slices) && hasFreeConnection(db))
      readers.push(await openReader(db, grant, span.snapshot));
  } catch (err) {
    await close(err as Error);
    throw err;
  }

  const copyOf = (k: number) => {
    const query = exportQuery(
      grant,
      suite,
      slices > 1 ? [first + k * SLICE_ROWS, first + (k + 1) * SLICE_ROWS] : null,
    );
    return format === 'csv'
      ? `COPY (${query}) TO STDOUT WITH (FORMAT csv, HEADER ${k === 0})`
      : // one JSON document per line: a quote and delimiter that JSON never contains keep COPY from
        // escaping anything
        `COPY (SELECT row_to_json(t)::text FROM (${query}) t) TO STDOUT WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')`;
  };
  const bytes = new PassThrough();
  if (format === 'csv') bytes.write('\ufeff');
  copySlices(readers, slices, copyOf, bytes).then(
    async (copies) => {
      await close(null); // after each reader's COMMIT, every COPY's row count has arrived
      bytes.end();
      onDone(
        null,
        copies.reduce((sum, c) => sum + c.rowCount, 0),
      );
    },
    async (err: Error) => {
      await close(err);
      bytes.destroy(err);
      onDone(err, 0);
    },
  );
  if (format !== 'xlsx') return bytes;

  const out = new PassThrough();
  bytes.on('error', (err) => out.destroy(err));
  out.on('close', () => bytes.destroy());
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = book.addWorksheet('data');
  sheet.addRow(grant.fields.map((f) => `${f.label} (${f.name})`)).commit();
  (async () => {
    for await (const row of bytes.pipe(ndjsonRows()))
      sheet
        .addRow(grant.fields.map((f) => (row as Record<string, unknown>)[f.name] ?? null))
        .commit();
    sheet.commit();
    await book.commit();
  })().catch((err) => out.destroy(err));
  return out;
}
