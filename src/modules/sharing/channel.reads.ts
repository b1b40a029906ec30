import crypto from 'node:crypto';
import type { Db, Tx } from '../../db/pool.js';
import { withTx } from '../../db/pool.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import type { Actor } from '../identity/index.js';
import { append, type AuditEntry } from '../audit/index.js';
import { findPoolEntry } from '../pool/index.js';
import { changeTable, col, ident, poolTable, SQL_TYPES } from '../pool/index.js';
import type { PoolEntry, PoolField } from '../pool/index.js';
import type { CryptoSuite } from '../../lib/crypto.js';
import { maskExpr, type MaskRule } from './masking.js';
import * as repo from './sharing.repository.js';
import { mayViewChannel } from './sharing.policy.js';

/**
 * A channel with the pool table it reads and the fields it grants there; a ReadGrant once checked
 * for the caller.
 */
export interface ReadGrant {
  channel: repo.ChannelRow;
  entry: PoolEntry | null;
  fields: PoolField[];
}

const DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/;

/**
 * A day of the calendar (2024-02-29, not 2026-02-30) and, if given, a time of day and an offset
 * PostgreSQL accepts.
 */
function isDateTime(v: string, dateOnly: boolean): boolean {
  const m = DATETIME.exec(v);
  if (!m || (dateOnly && m[4] !== undefined)) return false;
  const [y, mo, d, h, mi, s, oh, om] = m.slice(1).map((x) => Number(x ?? 0));
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  return (
    y >= 1 &&
    days !== undefined &&
    d >= 1 &&
    d <= days &&
    h <= 23 &&
    mi <= 59 &&
    s <= 59 &&
    oh <= 15 &&
    om <= 59
  );
}

/** What a value compared with a field of each type must look like; PostgreSQL then accepts it. */
const VALUE_CHECKS: Record<string, (v: string) => boolean> = {
  integer: (v) => /^-?\d{1,18}$/.test(v),
  decimal: (v) => /^-?\d+(\.\d+)?$/.test(v),
  boolean: (v) => /^(true|false)$/.test(v),
  date: (v) => isDateTime(v, true),
  datetime: (v) => isDateTime(v, false),
};

/**
 * Records a read refused for asking outside the channel, in the over-scope report and the ledger.
 */
export async function recordOutOfScope(
  tx: Tx,
  suite: CryptoSuite,
  actor: Actor,
  channel: repo.ChannelRow,
  kind: string,
  detail: Record<string, unknown>,
  ctx: { requestId: string | null; clientIp: string | null },
): Promise<void> {
  await repo.insertViolation(tx, {
    channel_id: channel.id,
    org_id: actor.orgId,
    actor_id: actor.id,
    actor_name: actor.displayName,
    kind,
    detail,
  });
  await append(tx, suite, [
    {
      actor: { kind: actor.kind, id: actor.id, name: actor.name, orgId: actor.orgId },
      action: 'share.read',
      targetType: 'channel',
      targetId: channel.id,
      outcome: 'denied',
      requestId: ctx.requestId,
      clientIp: ctx.clientIp,
      details: { kind, ...detail },
    },
  ]);
}

/**
 * Records a read refused for asking outside the channel (see recordOutOfScope), then refuses it.
 */
export async function refuseOutOfScope(
  db: Db,
  suite: CryptoSuite,
  actor: Actor,
  channel: repo.ChannelRow,
  kind: string,
  detail: Record<string, unknown>,
  ctx: { requestId: string; clientIp: string },
): Promise<never> {
  await withTx(db, (tx) => recordOutOfScope(tx, suite, actor, channel, kind, detail, ctx));
  throw new AppError('SHARE_SCOPE_EXCEEDED', { kind, ...detail });
}

/**
 * A channel as loaded (and briefly cached) before any check: the same parts as the grant it
 * becomes.
 */
export type LoadedChannel = ReadGrant;

/**
 * The channel's pool table and the pool fields it grants, in the channel's order (none while
 * nothing is pooled).
 */
export async function withPoolFields(tx: Tx, channel: repo.ChannelRow): Promise<LoadedChannel> {
  const entry = await findPoolEntry(tx, channel.resource_id);
  const fields = entry
    ? channel.fields
        .map((n) => entry.fields.find((f) => f.name === n))
        .filter((f): f is PoolField => !!f)
    : [];
  return { channel, entry, fields };
}

export async function loadChannel(tx: Tx, channelId: string): Promise<LoadedChannel | undefined> {
  const channel = await repo.getChannel(tx, channelId);
  return channel ? withPoolFields(tx, channel) : undefined;
}

/**
 * The read gate every channel read passes: the channel must be the caller's body's, active and
 * unexpired. Another body's channel answers as if missing; the provider may look but not read.
 */
export function checkGrant(actor: Actor, loaded: LoadedChannel | undefined): ReadGrant {
  const channel = loaded?.channel;
  if (!channel || !mayViewChannel(actor, channel)) throw notFound();
  if (channel.consumer_org_id !== actor.orgId)
    throw new AppError('FORBIDDEN', { rule: 'consumer_only' });
  const status =
    channel.status === 'active' && channel.expires_at <= new Date() ? 'expired' : channel.status;
  if (status !== 'active') throw new AppError('CHANNEL_NOT_ACTIVE', { status });
  return loaded!;
}

/**
 * Builds `SELECT` expressions of the granted fields, masked per the channel. `salt` yields the SQL
 * for the channel's salt; it is called only when a field is hashed.
 */
export function selectList(
  grant: ReadGrant,
  salt: () => string,
  suite: CryptoSuite,
  alias = 'p',
): string {
  return grant.fields
    .map((f) => {
      const rule = (grant.channel.masking[f.name] ?? 'none') as MaskRule;
      return `${maskExpr(f, rule, `${alias}.${col(f)}`, rule === 'hash' ? salt() : '', suite === 'gm' ? 'sm3' : 'sha256')} AS ${ident(f.name)}`;
    })
    .join(', ');
}

/** The salt as a bound parameter, added to `params` on first use. */
function saltParam(grant: ReadGrant, params: unknown[]): () => string {
  let ref: string | undefined;
  return () => (ref ??= `$${params.push(grant.channel.salt)}::text`);
}

/**
 * Conditions for the channel's row filter, with values as parameters starting at `params.length +
 * 1`.
 */
function rowFilterSql(grant: ReadGrant, params: unknown[], alias = 'p'): string[] {
  const parts: string[] = [];
  for (const [name, values] of Object.entries(grant.channel.row_filter ?? {})) {
    const f = grant.entry?.fields.find((x) => x.name === name);
    if (!f) continue;
    params.push(values);
    parts.push(`${alias}.${col(f)}::text = ANY($${params.length}::text[])`);
  }
  return parts;
}

export interface RecordQuery {
  limit: number;
  cursor: number;
  equals: Record<string, string>;
  ranges: { name: string; op: '>=' | '<=' | '>' | '<'; value: string }[];
  select?: string[];
}

/**
 * Parses the query string of a records read: `field=value`, `field.gte=…`, `fields=a,b`, `limit`,
 * `cursor`.
 */
export function parseRecordQuery(raw: Record<string, unknown>): RecordQuery {
  const q: RecordQuery = { limit: 100, cursor: 0, equals: {}, ranges: [] };
  const OPS = { gte: '>=', lte: '<=', gt: '>', lt: '<' } as const;
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) throw invalid(key, 'single_value');
    const v = String(value);
    if (key === 'limit') {
      if (!/^\d+$/.test(v) || +v < 1 || +v > 1000)
        throw invalid('limit', 'range', { min: 1, max: 1000 });
      q.limit = +v;
    } else if (key === 'cursor') {
      if (!/^\d{1,18}$/.test(v)) throw invalid('cursor', 'pattern');
      q.cursor = +v;
    } else if (key === 'fields') {
      q.select = v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      // a read shows at least one field
      if (!q.select.length) throw invalid('fields', 'min_items', { min: 1 });
    } else {
      const m = /^([a-z][a-z0-9_]{0,62})(?:\.(gte|lte|gt|lt))?$/.exec(key);
      if (!m) throw invalid(key, 'unknown_parameter');
      if (v.length > 500) throw invalid(key, 'maxLength');
      if (m[2]) q.ranges.push({ name: m[1], op: OPS[m[2] as keyof typeof OPS], value: v });
      else q.equals[m[1]] = v;
    }
  }
  return q;
}

/** How a read uses a channel: a query (records, change feed), 核验, or a whole export. */
export type ChannelUse = 'query' | 'verify' | 'export';

/**
 * Why the channel does not allow `use`, as the over-scope report records it: a verification-only
 * channel answers only 核验, and only a channel approved for bulk export gives a whole copy (an
 * offline copy needs approval [004 §17]).
 */
export function refusalOfUse(
  channel: repo.ChannelRow,
  use: ChannelUse,
): { kind: string; detail: Record<string, unknown> } | undefined {
  if (channel.verify_only && use !== 'verify') return { kind: 'verify_only', detail: {} };
  if (use === 'export' && channel.delivery !== 'export')
    return { kind: 'delivery', detail: { delivery: channel.delivery } };
  return undefined;
}

/** A field named in a query must be one the channel grants; a value must fit the field's type. */
export function scopeProblem(grant: ReadGrant, names: string[]): string | undefined {
  return names.find((n) => !grant.channel.fields.includes(n));
}

/**
 * The first field `compared` names that the channel masks: a read may compare (filter, range) only
 * fields it shows unmasked (rule `none`). Comparing a masked field with values of the reader's
 * choosing would give its hidden part back one guess at a time — ranges bisect a 身份证 in about
 * 30 reads, and an exact match enumerates its hidden birth date — so any comparison on a masked
 * field is refused, identifiers included. 核验 (`verify`) is the sanctioned yes/no path, limited
 * per channel and audited.
 */
export function maskedComparison(grant: ReadGrant, compared: string[]): string | undefined {
  return compared.find((n) => (grant.channel.masking[n] ?? 'none') !== 'none');
}

/** A value compared with `field` must be one of its type. */
function checkValue(field: PoolField, value: string): void {
  const check = VALUE_CHECKS[field.type];
  if (check && !check(value)) throw invalid(field.name, 'type', { type: field.type });
}

function typedParam(field: PoolField, value: string, params: unknown[]): string {
  checkValue(field, value);
  params.push(value);
  return `$${params.length}::${SQL_TYPES[field.type]}`;
}

/**
 * A records read of one shape — one channel (as loaded), the fields shown, the fields compared and
 * how — as SQL: the same few shapes repeat on every read, so each is built once. Its parameters are
 * the channel's (`shared`: the salt, the row filter's values) and the request's own (`types`, in
 * order: the cursor, each compared value, the limit).
 */
export interface RecordsShape {
  /** One read: the shared parameters, then its own values. */
  single: { name: string; text: string };
  /** Several reads in one statement: the shared parameters, then one array per value of theirs. */
  batch: { name: string; text: string };
  shared: unknown[];
  types: string[];
  /** The pool fields compared, in the order of their values. */
  compared: PoolField[];
}

/**
 * A named (prepared) statement: the same read of the same channel repeats with other values, so
 * each connection plans it once — masking functions are inlined at planning, which is not free.
 */
function statement(text: string): { name: string; text: string } {
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= 1000) statementNames.clear();
    name = `ch_${crypto.createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return { name, text };
}
const statementNames = new Map<string, string>();

const shapes = new WeakMap<repo.ChannelRow, Map<string, RecordsShape>>();

/** The shape of `q` on `grant`, built on first use. */
export function recordsShape(grant: ReadGrant, q: RecordQuery, suite: CryptoSuite): RecordsShape {
  let byChannel = shapes.get(grant.channel);
  if (!byChannel) {
    byChannel = new Map();
    shapes.set(grant.channel, byChannel);
  }
  const equals = Object.keys(q.equals);
  const key = `${q.select?.join(',') ?? ''}|${equals.join(',')}|${q.ranges.map((r) => `${r.name}${r.op}`).join(',')}`;
  let shape = byChannel.get(key);
  if (!shape) {
    shape = buildShape(
      grant,
      q.select,
      [...equals.map((name) => ({ name, op: '=' })), ...q.ranges],
      suite,
    );
    if (byChannel.size < 100) byChannel.set(key, shape);
  }
  return shape;
}

function buildShape(
  grant: ReadGrant,
  names: string[] | undefined,
  compares: { name: string; op: string }[],
  suite: CryptoSuite,
): RecordsShape {
  const shown: ReadGrant = names
    ? {
        ...grant,
        fields: names.map((n) => grant.fields.find((f) => f.name === n)!).filter(Boolean),
      }
    : grant;
  const shared: unknown[] = [];
  const select = selectList(shown, saltParam(grant, shared), suite);
  const filter = rowFilterSql(grant, shared);
  // names were checked against the grant
  const compared = compares.map((c) => grant.fields.find((f) => f.name === c.name)!);
  const types = ['bigint', ...compared.map((f) => SQL_TYPES[f.type]), 'integer'];
  const body = (value: (k: number) => string) =>
    [
      `SELECT p._row_id AS "_cursor", ${select} FROM ${poolTable(grant.entry!)} p`,
      `WHERE ${['NOT p._deleted', `p._row_id > ${value(0)}`, ...filter, ...compares.map((c, i) => `p.${col(compared[i])} ${c.op} ${value(i + 1)}`)].join(' AND ')}`,
      `ORDER BY p._row_id LIMIT ${value(types.length - 1)}`,
    ].join(' ');
  const param = (k: number) => `$${shared.length + k + 1}`;
  return {
    single: statement(body((k) => `${param(k)}::${types[k]}`)),
    batch:
      statement(`SELECT q."_req", r.* FROM unnest(${types.map((t, k) => `${param(k)}::${t}[]`).join(', ')}) WITH ORDINALITY
      AS q(${types.map((_, k) => `v${k}`).join(', ')}, "_req") CROSS JOIN LATERAL (${body((k) => `q.v${k}`)}) r ORDER BY 1, 2`),
    shared,
    types,
    compared,
  };
}

interface Waiting {
  values: unknown[];
  resolve: (rows: Record<string, unknown>[]) => void;
  reject: (err: unknown) => void;
}

/**
 * Records reads of the same shape that arrive together (in one turn of the event loop) go to
 * PostgreSQL as one statement, each read's values an element of its parameter arrays, and each
 * gets back its own rows: under load a statement serves several reads, which costs PostgreSQL and
 * this process a fraction of one statement each. A read arriving alone runs alone at once.
 */
export class RecordReader {
  private queued = new Map<RecordsShape, Waiting[]>();
  private turn: NodeJS.Immediate | undefined;

  constructor(
    private readonly db: Db,
    private readonly maxBatch = 64,
  ) {}

  /** The rows of one read of `shape` with its own `values` (see RecordsShape). */
  read(shape: RecordsShape, values: unknown[]): Promise<Record<string, unknown>[]> {
    return new Promise((resolve, reject) => {
      let waiting = this.queued.get(shape);
      if (!waiting) {
        waiting = [];
        this.queued.set(shape, waiting);
      }
      waiting.push({ values, resolve, reject });
      this.turn ??= setImmediate(() => this.send());
    });
  }

  private send(): void {
    this.turn = undefined;
    const queued = this.queued;
    this.queued = new Map();
    for (const [shape, waiting] of queued) {
      for (let i = 0; i < waiting.length; i += this.maxBatch)
        void this.run(shape, waiting.slice(i, i + this.maxBatch));
    }
  }

  private async run(shape: RecordsShape, waiting: Waiting[]): Promise<void> {
    if (waiting.length === 1) return this.alone(shape, waiting[0]);
    let rows: Record<string, unknown>[];
    try {
      const arrays = shape.types.map((_, k) => waiting.map((w) => w.values[k]));
      rows = (await this.db.query({ ...shape.batch, values: [...shape.shared, ...arrays] })).rows;
    } catch (err) {
      // A value PostgreSQL refuses (class 22, data exception) fails the statement for all of them:
      // each then runs alone, so only the read that brought it fails.
      if (String((err as { code?: unknown }).code).startsWith('22'))
        for (const w of waiting) void this.alone(shape, w);
      else for (const w of waiting) w.reject(err);
      return;
    }
    const each: Record<string, unknown>[][] = waiting.map(() => []);
    for (const row of rows) each[(row._req as number) - 1].push(row);
    waiting.forEach((w, i) => {
      w.resolve(each[i]);
    });
  }

  private async alone(shape: RecordsShape, w: Waiting): Promise<void> {
    try {
      w.resolve(
        (await this.db.query({ ...shape.single, values: [...shape.shared, ...w.values] })).rows,
      );
    } catch (err) {
      w.reject(err);
    }
  }
}

/** Reads a page of masked rows within the channel's scope. */
export async function readRecords(
  reader: RecordReader,
  grant: ReadGrant,
  q: RecordQuery,
  suite: CryptoSuite,
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  if (!grant.entry || grant.fields.length === 0) return { items: [], nextCursor: null };
  const shape = recordsShape(grant, q, suite);
  const compared = [...Object.values(q.equals), ...q.ranges.map((r) => r.value)];
  compared.forEach((value, i) => {
    checkValue(shape.compared[i], value);
  });
  const rows = await reader.read(shape, [q.cursor, ...compared, q.limit + 1]);
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  const nextCursor = more ? String(page[page.length - 1]._cursor) : null;
  return { items: page.map(({ _req, _cursor, ...rest }) => rest), nextCursor };
}

/** Changes after a cursor, masked, within the row filter. */
export async function readChannelChanges(
  tx: Tx,
  grant: ReadGrant,
  since: number,
  limit: number,
  suite: CryptoSuite,
) {
  if (!grant.entry || grant.fields.length === 0) return { items: [], nextCursor: String(since) };
  const params: unknown[] = [since, limit];
  const select = selectList(grant, saltParam(grant, params), suite);
  const filter = rowFilterSql(grant, params);
  const { rows } = await tx.query(
    `SELECT c.cursor, c.op, c.at, ${select}
       FROM ${changeTable(grant.entry)} c JOIN ${poolTable(grant.entry)} p ON p._row_id = c.row_id
      WHERE c.cursor > $1 ${filter.map((f) => `AND ${f}`).join(' ')} ORDER BY c.cursor LIMIT $2`,
    params,
  );
  const items = rows.map(({ cursor, op, at, ...values }) => ({
    cursor: String(cursor),
    op,
    at: (at as Date).toISOString(),
    values,
  }));
  return { items, nextCursor: items.length ? items[items.length - 1].cursor : String(since) };
}

/**
 * 核验: does a live record with these values exist within the channel's rows? Values are compared
 * unmasked, never returned.
 */
export async function verifyRecord(
  tx: Tx,
  grant: ReadGrant,
  match: Record<string, string | number | boolean>,
): Promise<boolean> {
  if (!grant.entry) return false;
  const byName = new Map(grant.entry.fields.map((f) => [f.name, f]));
  const params: unknown[] = [];
  const where = ['NOT p._deleted', ...rowFilterSql(grant, params)];
  for (const [name, value] of Object.entries(match))
    where.push(
      `p.${col(byName.get(name)!)} = ${typedParam(byName.get(name)!, String(value), params)}`,
    );
  const { rows } = await tx.query({
    ...statement(
      `SELECT EXISTS (SELECT 1 FROM ${poolTable(grant.entry)} p WHERE ${where.join(' AND ')}) AS found`,
    ),
    values: params,
  });
  return rows[0].found;
}

/** The ledger entry of a read through a channel. */
export function readEntry(
  actor: Actor,
  channel: repo.ChannelRow,
  action: string,
  details: Record<string, unknown>,
  ctx: { requestId: string; clientIp: string },
): AuditEntry {
  return {
    actor: { kind: actor.kind, id: actor.id, name: actor.name, orgId: actor.orgId },
    action,
    targetType: 'channel',
    targetId: channel.id,
    outcome: 'success',
    requestId: ctx.requestId,
    clientIp: ctx.clientIp,
    details: { resourceId: channel.resource_id, ...details },
  };
}
