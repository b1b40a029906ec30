/**
 * The Node side of a batch: rows stream from the upload's parser through the per-value field
 * rules (pool.checks.ts) into COPY text, while PostgreSQL works on the previous chunk.
 *
 * Two shapes:
 * - staged: every row goes to the temporary staging table (`_rn`, the cells as text, `_bad`);
 *   SQL then checks the dataset rules and merges (pool.merge.ts).
 * - direct (the pool is empty, the identifier is text or absent, not strict): rows that pass
 *   every field rule and whose identifier was not seen before in the batch go straight into
 *   the pool table, typed; the others (rejected rows, and rows whose identifier may repeat an
 *   earlier one) are spilled and staged afterwards, so the SQL dataset rules decide them.
 *
 * Broken rules are spilled as `rejected_rows` lines and copied in after the rows. Memory stays
 * flat: spills go to a temporary file past 1 MB, and the identifier set is bounded.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import type { PoolEntry } from './pool.types.js';
import { RowRules, booleanText, left1000, type Violation } from './pool.checks.js';
import { csvLine, type Cell, type Problem, type RowChunk } from './pool.sources.js';

const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
/** A value in COPY text format. */
const copyText = (v: string | null): string =>
  v === null ? '\\N' : NEEDS_ESCAPE.test(v) ? v.replace(/[\\\n\r\t]/g, (m) => ESCAPES[m]) : v;

/**
 * PostgreSQL's text cannot hold a NUL byte: a cell with one is rejected (rule `nul_byte`), and
 * what is kept of it — its value in the rejected-row report, the row staged to be counted — shows
 * each NUL as ␀.
 */
const NUL = '\0';
const withoutNul = <T extends string | null>(v: T): T =>
  (v?.includes(NUL) ? v.replaceAll(NUL, '\u2400') : v) as T;

/**
 * Text that is kept in memory up to 1 MB, then in a temporary file; read back as a stream for COPY.
 */
class Spill {
  private parts: string[] = [];
  private size = 0;
  private fd: number | null = null;
  private file: string | null = null;
  count = 0;

  write(line: string): void {
    this.parts.push(line);
    this.size += line.length;
    this.count++;
    if (this.size > 1 << 20) this.flush();
  }

  private flush(): void {
    if (this.fd === null) {
      this.file = path.join(os.tmpdir(), `gongshu-spill-${process.pid}-${crypto.randomUUID()}`);
      this.fd = fs.openSync(this.file, 'w', 0o600);
    }
    fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  stream(): Readable {
    if (this.fd === null) return Readable.from([this.parts.join('')], { objectMode: false });
    this.flush();
    fs.closeSync(this.fd);
    this.fd = null;
    return fs.createReadStream(this.file!, { highWaterMark: 1 << 18 });
  }

  dispose(): void {
    if (this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
    if (this.file) fs.rm(this.file, { force: true }, () => undefined);
    this.parts = [];
  }
}

/**
 * Identifiers seen in the batch, as 64-bit fingerprints in an open-addressing table: a repeat
 * is always found; a fingerprint collision (vanishingly rare) only sends a row to the staged
 * SQL check. Past 4M slots (32 MB) the table stops growing and every later row counts as a
 * possible repeat, so memory stays bounded whatever the batch size.
 */
class IdSet {
  private static readonly MAX_BITS = 22;
  private bits = 16;
  private a = new Int32Array(1 << this.bits);
  private b = new Int32Array(1 << this.bits);
  private used = 0;
  full = false;
  /** True once any identifier may have repeated. */
  maybeRepeats = false;

  /** Records `v`; true when it may have been seen before (or the set is full). */
  add(v: string): boolean {
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x1b873593 | 0;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 ^= h1 >>> 16;
    h1 = Math.imul(h1, 0x85ebca6b);
    h1 ^= h1 >>> 13;
    if (h2 === 0) h2 = 1;
    const seen = this.insert(h1, h2, true);
    if (seen) this.maybeRepeats = true;
    return seen;
  }

  private insert(h1: number, h2: number, count: boolean): boolean {
    const mask = (1 << this.bits) - 1;
    for (let i = h1 & mask; ; i = (i + 1) & mask) {
      if (this.b[i] === 0) {
        if (this.full) return true;
        this.a[i] = h1;
        this.b[i] = h2;
        if (count && ++this.used * 2 > 1 << this.bits) this.grow();
        return false;
      }
      if (this.a[i] === h1 && this.b[i] === h2) return true;
    }
  }

  private grow(): void {
    if (this.bits >= IdSet.MAX_BITS) {
      this.full = true;
      this.maybeRepeats = true;
      return;
    }
    const [a, b] = [this.a, this.b];
    this.bits++;
    this.a = new Int32Array(1 << this.bits);
    this.b = new Int32Array(1 << this.bits);
    for (let i = 0; i < a.length; i++) if (b[i] !== 0) this.insert(a[i], b[i], false);
  }
}

export interface RowCounts {
  received: number;
  filled: number;
  direct: number;
}

/** Checks the rows of one batch and writes them as COPY text. */
export class BatchRows {
  readonly rejections = new Spill();
  readonly deferred = new Spill();
  readonly ids = new IdSet();
  readonly counts: RowCounts = { received: 0, filled: 0, direct: 0 };
  private readonly rules: RowRules;
  private readonly idIndex: number;
  private readonly booleans: boolean[];
  private readonly names: string[];

  /**
   * Direct loads of CSV without boolean fields (whose 是/否 COPY would not read) go to COPY as
   * CSV, in the file's column order: plain lines as they came, others re-quoted.
   */
  readonly csvColumns: number[] | null;

  constructor(
    entry: PoolEntry,
    private readonly batchId: string,
    readonly direct: boolean,
    csvColumns?: number[],
  ) {
    this.csvColumns =
      direct && csvColumns && !entry.fields.some((f) => f.type === 'boolean') ? csvColumns : null;
    this.rules = new RowRules(entry);
    this.idIndex = entry.fields.findIndex((f) => f.name === entry.identifierField);
    this.booleans = entry.fields.map((f) => f.type === 'boolean');
    this.names = entry.fields.map((f) => f.name);
  }

  /** Staging COPY text of a row: `_rn`, the cells, `_bad`. */
  private staged(rn: number, cells: Cell[], bad: boolean): string {
    let line = String(rn);
    for (let i = 0; i < cells.length; i++) line += `\t${copyText(cells[i])}`;
    return `${line}\t${bad ? 't' : 'f'}\n`;
  }

  /** Pool COPY text of a row: the typed cells, `_batch_id`; `clean` when no cell needs escaping. */
  private pooled(cells: Cell[], clean: boolean): string {
    let line = '';
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (v === null || v === '') line += '\\N\t';
      else if (this.booleans[i]) line += `${booleanText(v)}\t`;
      else line += clean ? `${v}\t` : `${copyText(v)}\t`;
    }
    return `${line}${this.batchId}\n`;
  }

  private reject(rn: number, v: Violation): void {
    this.rejections.write(
      `${this.batchId}\t${rn}\t${copyText(withoutNul(v.field))}\t${copyText(v.rule)}\t${copyText(withoutNul(left1000(v.value)))}\n`,
    );
  }

  /**
   * Checks one row: counts it, lists its violations, records its identifier; true when it goes to
   * the main COPY. With `nul`, a cell holding a NUL byte breaks rule `nul_byte` and is kept with
   * each NUL shown as ␀.
   */
  private take(
    cells: Cell[],
    problem: Problem | null,
    violations: Violation[],
    nul: boolean,
  ): { rn: number; bad: boolean; main: boolean } {
    const rn = ++this.counts.received;
    violations.length = 0;
    for (let i = 0; i < cells.length; i++) {
      const v = cells[i];
      if (v !== null && v !== '') this.counts.filled++;
      if (nul && v?.includes(NUL)) {
        cells[i] = withoutNul(v);
        violations.push({ field: this.names[i], rule: 'nul_byte', value: cells[i] });
      }
    }
    if (problem?.field !== '*') this.rules.check(cells, violations);
    if (problem) violations.push(problem);
    for (const v of violations) this.reject(rn, v);
    const bad = violations.length > 0;
    const id = this.idIndex >= 0 ? cells[this.idIndex] : null;
    const repeat = id !== null && id !== '' ? this.ids.add(id) : false;
    const main = !this.direct || (!bad && !repeat);
    if (this.direct && !main) this.deferred.write(this.staged(rn, cells, bad));
    if (this.direct && main) this.counts.direct++;
    return { rn, bad, main };
  }

  /** The main COPY's data (pool table when direct, else staging), one piece per chunk. */
  async *encode(chunks: AsyncIterable<RowChunk>): AsyncGenerator<string | Buffer> {
    const violations: Violation[] = [];
    for await (const chunk of chunks) {
      const problems = chunk.problems;
      const nul = chunk.mayHoldNul !== false;
      if (this.csvColumns) {
        const keep = new Uint8Array(chunk.rows.length);
        let all = true;
        for (let r = 0; r < chunk.rows.length; r++) {
          const { main } = this.take(chunk.rows[r], problems?.[r] ?? null, violations, nul);
          keep[r] = main ? 1 : 0;
          all &&= main;
        }
        if (all && chunk.bytes) {
          yield chunk.bytes;
          continue;
        }
        let out = '';
        for (let r = 0; r < chunk.rows.length; r++) {
          if (!keep[r]) continue;
          const line = chunk.clean ? chunk.lines?.[r] : null;
          out += `${line ?? csvLine(chunk.rows[r], this.csvColumns)}\n`;
        }
        if (out) yield out;
        continue;
      }
      let out = '';
      for (let r = 0; r < chunk.rows.length; r++) {
        const cells = chunk.rows[r];
        const { rn, bad, main } = this.take(cells, problems?.[r] ?? null, violations, nul);
        if (!this.direct) out += this.staged(rn, cells, bad);
        else if (main) out += this.pooled(cells, chunk.clean === true);
      }
      if (out) yield out;
    }
  }

  dispose(): void {
    this.rejections.dispose();
    this.deferred.dispose();
  }
}
