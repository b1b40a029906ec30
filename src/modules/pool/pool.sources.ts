/**
 * Turning an upload (CSV, NDJSON, JSON array, XLSX) into a stream for `COPY … FROM STDIN` into
 * the staging table, without holding more than one chunk or row in memory. CSV goes to
 * PostgreSQL as it came (PostgreSQL parses it); the other formats are parsed here row by row
 * and written in COPY text format. A row this layer cannot read (a broken JSON line, a key
 * that names no field) is staged with its problem, so it is listed like any other rejection.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';
import { invalid } from '../../lib/errors.js';
import type { BatchFormat, PoolField } from './pool.types.js';

/** What COPY reads: the staging columns in stream order and the bytes. */
export interface CopySource {
  format: BatchFormat;
  copyFormat: 'csv' | 'text';
  columns: string[];
  stream: Readable;
}

export class MalformedInput extends Error {
  constructor(message: string, readonly line?: number) { super(message); }
}

/** Counts the bytes that pass, for the batch record and throughput figures. */
export class ByteCounter {
  bytes = 0;
  async *count(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer | string> {
    for await (const chunk of input) {
      this.bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      yield chunk;
    }
  }
}

const PROBLEM_COLUMNS = ['_p_field', '_p_rule', '_p_value'];

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
      if (c === '"' && line[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { cells.push(cell); cell = ''; } else cell += c;
  }
  cells.push(cell);
  return cells;
}

function headerColumns(cells: string[], fields: PoolField[]): string[] {
  const index = fieldIndex(fields);
  const seen = new Set<string>();
  return cells.map((raw, i) => {
    const f = index.get(raw.trim());
    if (!f) throw invalid(`header.${i + 1}`, 'unknown_field', { column: raw.trim() });
    if (seen.has(f.name)) throw invalid(`header.${i + 1}`, 'duplicate', { column: raw.trim() });
    seen.add(f.name);
    return f.column;
  });
}

/**
 * Reads the header line of a CSV stream, maps its cells to fields (by name or label) and
 * returns a source that streams the remaining bytes to COPY untouched.
 */
export async function csvSource(input: AsyncIterable<Buffer>, fields: PoolField[]): Promise<CopySource> {
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
  const columns = headerColumns(csvCells(line), fields);
  const rest = head.subarray(end + 1);
  async function* body(): AsyncGenerator<Buffer> {
    if (rest.length) yield rest;
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
  }
  return { format: 'csv', copyFormat: 'csv', columns, stream: Readable.from(body(), { objectMode: false }) };
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
const copyText = (v: string | null): string => (v === null ? '\\N' : v.replace(/[\\\n\r\t]/g, (m) => ESCAPES[m]));

/** Writes objects as COPY text lines: every field column in order, then the problem columns. */
class RowWriter {
  private readonly index: Map<string, PoolField>;
  private readonly position: Map<string, number>;
  readonly columns: string[];
  constructor(private readonly fields: PoolField[]) {
    this.index = fieldIndex(fields);
    this.position = new Map(fields.map((f, i) => [f.column, i]));
    this.columns = [...fields.map((f) => f.column), ...PROBLEM_COLUMNS];
  }

  line(row: unknown, raw?: string): string {
    const values: (string | null)[] = new Array(this.fields.length).fill(null);
    let problem: [string, string, string | null] | null = null;
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      problem = ['*', row === undefined ? 'malformed_json' : 'not_an_object', (raw ?? JSON.stringify(row) ?? '').slice(0, 1000)];
    } else {
      for (const [key, value] of Object.entries(row)) {
        const f = this.index.get(key);
        if (!f) { problem ??= [key.slice(0, 100), 'unknown_field', null]; continue; }
        const text = cellText(value);
        if (text === undefined) problem ??= [f.name, 'type', JSON.stringify(value).slice(0, 1000)];
        else values[this.position.get(f.column)!] = text;
      }
    }
    return [...values, ...(problem ?? [null, null, null])].map(copyText).join('\t') + '\n';
  }
}

/** A JSON or spreadsheet value as staged text; undefined for values no field can hold. */
function cellText(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  return undefined;
}

/** Groups lines into chunks of about 64 KB for COPY. */
async function* chunked(lines: AsyncIterable<string>): AsyncGenerator<string> {
  let buf = '';
  for await (const line of lines) {
    buf += line;
    if (buf.length > 65536) { yield buf; buf = ''; }
  }
  if (buf) yield buf;
}

async function* decode(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of input) yield decoder.write(chunk);
  const tail = decoder.end();
  if (tail) yield tail;
}

async function* ndjsonLines(input: AsyncIterable<Buffer>, writer: RowWriter): AsyncGenerator<string> {
  let rest = '';
  let first = true;
  const one = (text: string) => {
    const line = text.trim();
    if (!line) return null;
    try { return writer.line(JSON.parse(line)); } catch { return writer.line(undefined, line); }
  };
  for await (let text of decode(input)) {
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    const parts = (rest + text).split('\n');
    rest = parts.pop()!;
    for (const part of parts) { const l = one(part); if (l) yield l; }
  }
  const l = one(rest);
  if (l) yield l;
}

/** The elements of a top-level JSON array, as text, scanned incrementally. */
export async function* jsonArrayItems(input: AsyncIterable<string>): AsyncGenerator<string> {
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
        if (escaped) escaped = false; else if (c === '\\') escaped = true; else if (c === '"') inString = false;
        continue;
      }
      const space = c === ' ' || c === '\n' || c === '\r' || c === '\t' || c === '\ufeff';
      if (!started) { if (c === '[') started = true; else if (!space) throw new MalformedInput('a JSON body must be an array of objects'); continue; }
      if (done) { if (!space) throw new MalformedInput('text after the end of the JSON array'); continue; }
      if (start < 0) {
        if (space || c === ',') continue;
        if (c === ']') { done = true; continue; }
        start = pos;
        depth = c === '{' || c === '[' ? 1 : 0;
        inString = c === '"';
        continue;
      }
      if (c === '"') inString = true;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && depth > 0) {
        depth--;
        if (depth === 0) { yield buf.slice(start, pos + 1); start = -1; }
      } else if (depth === 0 && (c === ',' || c === ']')) {
        yield buf.slice(start, pos).trim(); start = -1;
        if (c === ']') done = true;
      }
    }
    if (start >= 0) { buf = buf.slice(start); pos -= start; start = 0; } else { buf = ''; pos = 0; }
  }
  if (!done) throw new MalformedInput('the JSON array is not closed');
}

async function* jsonLines(input: AsyncIterable<Buffer>, writer: RowWriter): AsyncGenerator<string> {
  for await (const item of jsonArrayItems(decode(input))) {
    let value: unknown;
    try { value = JSON.parse(item); } catch { yield writer.line(undefined, item); continue; }
    yield writer.line(value, item);
  }
}

async function* xlsxLines(input: Readable, fields: PoolField[], writer: RowWriter): AsyncGenerator<string> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, { worksheets: 'emit', sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', entries: 'ignore' });
  let names: (string | null)[] | null = null;
  for await (const sheet of reader) {
    for await (const row of sheet) {
      const values = (row.values as unknown[]).slice(1).map(excelValue);
      if (!names) {
        const index = fieldIndex(fields);
        headerColumns(values.map((v) => String(v ?? '')).filter(Boolean), fields);
        names = values.map((v) => (v == null ? null : index.get(String(v).trim())?.name ?? null));
        continue;
      }
      const object: Record<string, unknown> = {};
      values.forEach((v, i) => { if (names![i] && v !== null && v !== undefined && v !== '') object[names![i]!] = v; });
      yield writer.line(object);
    }
    break; // the first worksheet holds the data
  }
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

/** A COPY source for a non-CSV upload. */
export function objectSource(format: Exclude<BatchFormat, 'csv'>, input: Readable, fields: PoolField[]): CopySource {
  const writer = new RowWriter(fields);
  const lines = format === 'ndjson' ? ndjsonLines(input, writer) : format === 'json' ? jsonLines(input, writer) : xlsxLines(input, fields, writer);
  return { format, copyFormat: 'text', columns: writer.columns, stream: Readable.from(chunked(lines), { objectMode: false }) };
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
