/**
 * Turning an upload (CSV, NDJSON, JSON array, XLSX) into rows of cells (text, in the entry's
 * field order), streamed in chunks without holding more than one chunk in memory. The loader
 * checks each row and writes it in COPY text format (pool.stream.ts). A row this layer cannot
 * read (a broken JSON line) carries its problem, so it is listed like any other rejection; a CSV
 * whose shape is broken fails as malformed, with its line. A column or key that names no field
 * refuses the whole upload, whatever the format: CSV and XLSX in their header, JSON and NDJSON
 * in the first row that has it.
 */
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { AppError, invalid } from '../../lib/errors.js';
import type { BatchFormat, PoolField } from './pool.types.js';

/** A cell as read: text, or null when absent (CSV unquoted empty, JSON null, missing key). */
export type Cell = string | null;

/**
 * What a row could not be read as: listed with the row (field '*' when the whole row is
 * unreadable).
 */
export interface Problem {
  field: string;
  rule: string;
  value: string | null;
}

/**
 * Rows in the entry's field order; `problems[i]` belongs to `rows[i]`. `clean` promises that
 * no cell holds a backslash, tab, carriage return or newline (nothing to escape for COPY).
 */
export interface RowChunk {
  rows: Cell[][];
  problems: (Problem | null)[] | null;
  clean?: boolean;
  /** CSV only: each row's line as read (no newline) when it had no quotes, else null. */
  lines?: (string | null)[];
  /**
   * CSV only: the bytes of exactly these rows, one plain line each, when there is nothing else in
   * them.
   */
  bytes?: Buffer | null;
  /** False when no cell holds a NUL byte; otherwise the loader looks (pool.stream.ts). */
  mayHoldNul?: boolean;
}

/** An upload as a stream of row chunks. */
export interface RowSource {
  format: BatchFormat;
  chunks: AsyncIterable<RowChunk>;
  /** CSV only: the field position of each column of the file, in file order. */
  csvColumns?: number[];
}

/**
 * An upload that cannot be read as its format: `rule` names what is wrong, the message says it in
 * words of ours (never a parser's), `line` where when known.
 */
export class MalformedInput extends Error {
  constructor(
    readonly rule: string,
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** An upload stopped by its sender (the connection closed before the end). */
export function isAborted(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | undefined;
  return (
    ['ECONNRESET', 'ERR_STREAM_PREMATURE_CLOSE'].includes(e?.code ?? '') ||
    /aborted/i.test(e?.message ?? '')
  );
}

/** `input` once it has given a byte: an upload of no bytes at all is refused, in any format. */
export async function nonEmpty<T extends Buffer | string>(
  input: AsyncIterable<T>,
): Promise<AsyncIterable<T>> {
  const iterator = input[Symbol.asyncIterator]();
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) throw invalid('body', 'empty');
  const head = first.value;
  return (async function* () {
    yield head;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
  })();
}

/**
 * Counts the bytes that pass, for the batch record and throughput figures, and stops an upload
 * that grows past `maxBytes` (413 PAYLOAD_TOO_LARGE).
 */
export class ByteCounter {
  bytes = 0;
  constructor(private readonly maxBytes = Number.POSITIVE_INFINITY) {}
  async *count(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer | string> {
    for await (const chunk of input) {
      this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      if (this.bytes > this.maxBytes)
        throw new AppError('PAYLOAD_TOO_LARGE', { limitBytes: this.maxBytes });
      yield chunk;
    }
  }
}

/** Field lookup by machine name or by label (the header departments write). */
function fieldIndex(fields: PoolField[]): Map<string, PoolField> {
  const map = new Map<string, PoolField>();
  for (const f of fields) map.set(f.label.trim(), f);
  for (const f of fields) map.set(f.name, f);
  return map;
}

/** Splits one CSV line into cells (RFC 4180 quotes); used for the header only. */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}

/**
 * The position in `fields` of each header cell; with `blanks`, -1 for an empty cell (a
 * spreadsheet's unused column).
 */
function headerColumns(cells: string[], fields: PoolField[], blanks = false): number[] {
  const index = fieldIndex(fields);
  const seen = new Set<string>();
  return cells.map((raw, i) => {
    if (blanks && !raw.trim()) return -1;
    const f = index.get(raw.trim());
    if (!f) throw invalid(`header.${i + 1}`, 'unknown_field', { column: raw.trim() });
    if (seen.has(f.name)) throw invalid(`header.${i + 1}`, 'duplicate', { column: raw.trim() });
    seen.add(f.name);
    return fields.indexOf(f);
  });
}

/**
 * Reads the header line of a CSV stream, maps its cells to fields (by name or label) and
 * returns the remaining records as rows, parsed as PostgreSQL's COPY (FORMAT csv) reads them:
 * RFC 4180 quotes, an unquoted empty cell is null, a quoted one the empty string.
 */
export async function csvSource(
  input: AsyncIterable<Buffer>,
  fields: PoolField[],
): Promise<RowSource> {
  const iterator = input[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let newline = -1;
  while (newline < 0) {
    const { value, done } = await iterator.next();
    if (done) break;
    head = Buffer.concat([head, value]);
    newline = head.indexOf(0x0a);
    if (head.length > 1 << 20 && newline < 0) throw invalid('header', 'too_long');
  }
  if (head.length === 0) throw invalid('body', 'empty');
  const end = newline < 0 ? head.length : newline;
  let line = head.subarray(0, end).toString('utf8').replace(/\r$/, '');
  if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  const positions = headerColumns(csvCells(line), fields);
  const rest = head.subarray(end + 1);
  const parser = new CsvRecords(positions, fields.length);
  async function* chunks(): AsyncGenerator<RowChunk> {
    // input is cut after its last newline byte (never part of a UTF-8 sequence), so each piece
    // decodes alone and, when all its records are plain, can go to COPY as the bytes it came as
    const parse = (bytes: Buffer, final: boolean): RowChunk => {
      if (!isUtf8(bytes))
        throw new MalformedInput('encoding', 'the file is not valid UTF-8', parser.line + 1);
      const text = bytes.toString('utf8');
      const rows = parser.push(text, final);
      return {
        rows,
        problems: null,
        clean: parser.clean,
        lines: parser.lines,
        bytes: parser.verbatim ? bytes : null,
        mayHoldNul: bytes.includes(0),
      };
    };
    let carry: Buffer = rest;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
      const buf = carry.length ? Buffer.concat([carry, r.value]) : r.value;
      const last = buf.lastIndexOf(0x0a);
      if (last < 0) {
        carry = buf;
        continue;
      }
      carry = buf.subarray(last + 1);
      const chunk = parse(buf.subarray(0, last + 1), false);
      if (chunk.rows.length) yield chunk;
    }
    const chunk = parse(carry, true);
    if (chunk.rows.length) yield chunk;
  }
  return { format: 'csv', chunks: chunks(), csvColumns: positions };
}

/**
 * A row as one CSV line (no newline) of the cells at `positions`: quoted where needed, null as an
 * empty cell.
 */
export function csvLine(cells: Cell[], positions: number[]): string {
  let line = '';
  for (let i = 0; i < positions.length; i++) {
    const v = cells[positions[i]];
    if (i > 0) line += ',';
    if (v !== null) line += /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  }
  return line;
}

/**
 * Incremental CSV record reader (comma, double quote); `line` is the file line of the last record.
 */
class CsvRecords {
  private buf = '';
  line = 1; // the header
  /** Whether the records of the last push held nothing COPY text must escape. */
  clean = true;
  /** The lines of the last push's records, null for a record with quotes. */
  lines: (string | null)[] = [];
  /**
   * Whether the last push's text was exactly its records, each a plain line ending in a newline.
   */
  verbatim = false;
  private readonly identity: boolean;
  constructor(
    private readonly positions: number[],
    private readonly width: number,
  ) {
    this.identity = positions.length === width && positions.every((p, i) => p === i);
  }

  push(text: string, final: boolean): Cell[][] {
    let verbatim = this.buf === '';
    const buf = this.buf + text;
    const out: Cell[][] = [];
    const lines: (string | null)[] = [];
    const n = this.positions.length;
    this.clean = buf.indexOf('\\') < 0 && buf.indexOf('\t') < 0 && buf.indexOf('\r') < 0;
    let pos = 0;
    let quote = -1; // the next double quote at or after pos (buf.length when none)
    while (pos < buf.length) {
      const nl = buf.indexOf('\n', pos);
      if (nl < 0 && !final) break;
      const end = nl < 0 ? buf.length : nl;
      let cells: Cell[];
      let next: number;
      if (quote < pos) {
        quote = buf.indexOf('"', pos);
        if (quote < 0) quote = buf.length;
      }
      if (quote > end || quote === buf.length) {
        let stop = end;
        if (stop > pos && buf.charCodeAt(stop - 1) === 13) stop--;
        if (stop === pos) {
          this.line++;
          pos = end + 1;
          verbatim = false;
          continue;
        } // blank line
        if (nl < 0) verbatim = false;
        const line = buf.slice(pos, stop);
        lines.push(line);
        cells = line.split(',');
        for (let i = 0; i < cells.length; i++) if (cells[i] === '') cells[i] = null;
        next = end + 1;
        this.line++;
      } else {
        const r = this.quoted(buf, pos, final);
        if (!r) break;
        [cells, next] = r;
        lines.push(null);
        verbatim = false;
      }
      if (cells.length !== n) {
        throw new MalformedInput(
          'cell_count',
          `line ${this.line}: ${cells.length} cells where the header has ${n}`,
          this.line,
        );
      }
      if (this.identity) out.push(cells);
      else {
        const row: Cell[] = new Array(this.width).fill(null);
        for (let i = 0; i < n; i++) row[this.positions[i]] = cells[i];
        out.push(row);
      }
      pos = next;
    }
    this.buf = buf.slice(pos);
    this.lines = lines;
    this.verbatim = verbatim && this.clean && pos === buf.length;
    return out;
  }

  /** One record with quotes from `start`; null when it continues past the text read so far. */
  private quoted(buf: string, start: number, final: boolean): [Cell[], number] | null {
    const cells: Cell[] = [];
    let cell = '';
    let wasQuoted = false;
    let inQuotes = false;
    let lines = 1;
    let i = start;
    for (; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (inQuotes) {
        if (c === 34) {
          if (buf.charCodeAt(i + 1) === 34) {
            cell += '"';
            i++;
          } else inQuotes = false;
        } else {
          if (c === 10) {
            lines++;
            this.clean = false;
          }
          cell += buf[i];
        }
      } else if (c === 34) {
        inQuotes = true;
        wasQuoted = true;
      } else if (c === 44) {
        cells.push(cell === '' && !wasQuoted ? null : cell);
        cell = '';
        wasQuoted = false;
      } else if (c === 10) break;
      else if (c === 13 && (buf.charCodeAt(i + 1) === 10 || i + 1 === buf.length)) continue;
      else cell += buf[i];
    }
    if (i >= buf.length && !final) return null;
    if (inQuotes)
      throw new MalformedInput(
        'unterminated_quote',
        `line ${this.line + 1}: unterminated quoted cell`,
        this.line + 1,
      );
    cells.push(cell === '' && !wasQuoted ? null : cell);
    this.line += lines;
    return [cells, i + 1];
  }
}

interface Row {
  cells: Cell[];
  problem: Problem | null;
}

/**
 * Turns objects into rows of cells in field order, with the first problem found; a key that names
 * no field refuses the upload, naming the key and its row.
 */
class RowWriter {
  private readonly index: Map<string, PoolField>;
  private readonly position: Map<string, number>;
  /** The number of the row last written, counted as the rejected-row report counts. */
  private row = 0;
  constructor(private readonly fields: PoolField[]) {
    this.index = fieldIndex(fields);
    this.position = new Map(fields.map((f, i) => [f.column, i]));
  }

  line(row: unknown, raw?: string): Row {
    this.row++;
    const cells: Cell[] = new Array(this.fields.length).fill(null);
    let problem: Problem | null = null;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      problem = {
        field: '*',
        rule: row === undefined ? 'malformed_json' : 'not_an_object',
        value: (raw ?? JSON.stringify(row) ?? '').slice(0, 1000),
      };
    } else {
      for (const [key, value] of Object.entries(row)) {
        const f = this.index.get(key);
        if (!f)
          throw invalid(`rows.${this.row}`, 'unknown_field', {
            column: key.slice(0, 100),
            row: this.row,
          });
        const text = cellText(value);
        if (text === undefined)
          problem ??= { field: f.name, rule: 'type', value: JSON.stringify(value).slice(0, 1000) };
        else cells[this.position.get(f.column)!] = text;
      }
    }
    return { cells, problem };
  }
}

/** A JSON or spreadsheet value as staged text; undefined for values no field can hold. */
function cellText(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return undefined;
}

/** Groups rows into chunks of 500. */
async function* chunked(lines: AsyncIterable<Row>): AsyncGenerator<RowChunk> {
  let rows: Cell[][] = [];
  let problems: (Problem | null)[] = [];
  let anyProblem = false;
  for await (const line of lines) {
    rows.push(line.cells);
    problems.push(line.problem);
    anyProblem ||= line.problem !== null;
    if (rows.length >= 500) {
      yield { rows, problems: anyProblem ? problems : null };
      rows = [];
      problems = [];
      anyProblem = false;
    }
  }
  if (rows.length) yield { rows, problems: anyProblem ? problems : null };
}

async function* decode(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) yield decoder.write(chunk);
  const tail = decoder.end();
  if (tail) yield tail;
}

async function* ndjsonLines(input: AsyncIterable<Buffer>, writer: RowWriter): AsyncGenerator<Row> {
  let rest = '';
  let first = true;
  const one = (text: string) => {
    const line = text.trim();
    if (!line) return null;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return writer.line(undefined, line);
    }
    return writer.line(value);
  };
  for await (let text of decode(input)) {
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    const parts = (rest + text).split('\n');
    rest = parts.pop()!;
    for (const part of parts) {
      const l = one(part);
      if (l) yield l;
    }
  }
  const l = one(rest);
  if (l) yield l;
}

/** The elements of a top-level JSON array, as text, scanned incrementally. */
async function* jsonArrayItems(input: AsyncIterable<string>): AsyncGenerator<string> {
  let buf = '';
  let pos = 0;
  let started = false;
  let done = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for await (const chunk of input) {
    buf += chunk;
    for (; pos < buf.length; pos++) {
      const c = buf[pos];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
        continue;
      }
      const space = c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\ufeff';
      if (!started) {
        if (c === '[') started = true;
        else if (!space)
          throw new MalformedInput('json_not_array', 'a JSON body must be an array of objects');
        continue;
      }
      if (done) {
        if (!space)
          throw new MalformedInput('json_trailing_text', 'text after the end of the JSON array');
        continue;
      }
      if (start < 0) {
        if (space || c === ',') continue;
        if (c === ']') {
          done = true;
          continue;
        }
        start = pos;
        depth = c === '{' || c === '[' ? 1 : 0;
        inString = c === '"';
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && depth > 0) {
        depth--;
        if (depth === 0) {
          yield buf.slice(start, pos + 1);
          start = -1;
        }
      } else if (depth === 0 && (c === ',' || c === ']')) {
        yield buf.slice(start, pos).trim();
        start = -1;
        if (c === ']') done = true;
      }
    }
    if (start >= 0) {
      buf = buf.slice(start);
      pos -= start;
      start = 0;
    } else {
      buf = '';
      pos = 0;
    }
  }
  if (!done) throw new MalformedInput('json_not_closed', 'the JSON array is not closed');
}

async function* jsonLines(input: AsyncIterable<Buffer>, writer: RowWriter): AsyncGenerator<Row> {
  for await (const item of jsonArrayItems(decode(input))) {
    let value: unknown;
    try {
      value = JSON.parse(item);
    } catch {
      yield writer.line(undefined, item);
      continue;
    }
    yield writer.line(value, item);
  }
}

/**
 * The rows of an XLSX workbook's first sheet. A file its reader cannot take (not a zip, not a
 * workbook, XML that holds a character XML forbids, such as NUL) fails as malformed, saying so in
 * words of ours: the reader's own message goes no further than the log.
 */
async function* xlsxLines(
  input: Readable,
  fields: PoolField[],
  writer: RowWriter,
): AsyncGenerator<Row> {
  try {
    yield* xlsxRows(input, fields, writer);
  } catch (err) {
    if (err instanceof AppError || err instanceof MalformedInput || isAborted(err)) throw err;
    throw Object.assign(
      new MalformedInput('xlsx_unreadable', 'the file is not an XLSX workbook that can be read'),
      { cause: err },
    );
  }
}

async function* xlsxRows(
  input: Readable,
  fields: PoolField[],
  writer: RowWriter,
): AsyncGenerator<Row> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let names: (string | null)[] | null = null;
  let sheets = 0;
  for await (const sheet of reader) {
    sheets++;
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1).map(excelValue);
      if (!names) {
        const positions = headerColumns(
          values.map((v) => String(v ?? '')),
          fields,
          true,
        );
        names = positions.map((p) => (p < 0 ? null : fields[p].name));
        continue;
      }
      const object: Record<string, unknown> = {};
      values.forEach((v, i) => {
        if (names![i] && v !== null && v !== undefined && v !== '') object[names![i]!] = v;
      });
      yield writer.line(object);
    }
    break; // the first worksheet holds the data
  }
  if (!sheets)
    throw new MalformedInput(
      'xlsx_unreadable',
      'the file is not an XLSX workbook that can be read',
    );
  if (!names) throw invalid('body', 'empty');
}

/** The value of an ExcelJS cell: formulas give their result, rich text its plain text. */
function excelValue(v: unknown): unknown {
  if (v && typeof v === 'object' && !(v instanceof Date)) {
    const o = v as { result?: unknown; richText?: { text: string }[]; text?: string };
    if ('result' in o) return o.result;
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (typeof o.text === 'string') return o.text;
  }
  return v;
}

/** The rows of a non-CSV upload. */
export function objectSource(
  format: Exclude<BatchFormat, 'csv'>,
  input: Readable,
  fields: PoolField[],
): RowSource {
  const writer = new RowWriter(fields);
  const lines =
    format === 'ndjson'
      ? ndjsonLines(input, writer)
      : format === 'json'
        ? jsonLines(input, writer)
        : xlsxLines(input, fields, writer);
  return { format, chunks: chunked(lines) };
}

/** The upload format of a content type or file name. */
export function formatOf(contentType: string | undefined, fileName?: string): BatchFormat | null {
  const ext = fileName?.toLowerCase().match(/\.(csv|ndjson|jsonl|json|xlsx)$/)?.[1];
  if (ext) return ext === 'jsonl' ? 'ndjson' : (ext as BatchFormat);
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'text/csv') return 'csv';
  if (type === 'application/x-ndjson' || type === 'application/jsonl') return 'ndjson';
  if (type === 'application/json') return 'json';
  if (type === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet') return 'xlsx';
  return null;
}
