import type { Db, Tx } from '../../db/pool.js';

export interface LedgerRow {
  seq: number;
  at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_kind: string;
  org_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  request_id: string | null;
  client_ip: string | null;
  details: unknown;
  algorithm: string;
  prev_hash: string;
  hash: string;
}

export interface LedgerFilter {
  actor?: string;
  org?: string;
  action?: string;
  from?: string;
  to?: string;
  targetType?: string;
  targetId?: string;
}

const COLUMNS = `seq, at, actor_id, actor_name, actor_kind, org_id, action, target_type, target_id, outcome,
  request_id, client_ip, details, algorithm, prev_hash, hash`;

/** Locks the chain's tip until the transaction ends; appends from every process queue here. */
export async function lockHead(tx: Tx): Promise<{ seq: number; hash: string }> {
  const { rows } = await tx.query('SELECT seq, hash FROM audit_head WHERE id FOR UPDATE');
  return rows[0];
}

// Rows travel as one JSON parameter (their chained fields, as hashed, and hash), so the statement's
// text is the same for any number of rows: prepared once per connection, not planned anew per
// batch.
const FROM_JSON = `SELECT seq, at, "actorId", "actorName", "actorKind", "orgId", action, "targetType", "targetId", outcome,
    "requestId", "clientIp", details, algorithm, "prevHash", hash
  FROM json_to_recordset($1::json) AS e(seq bigint, at timestamptz, "actorId" uuid, "actorName" text, "actorKind" text,
    "orgId" uuid, action text, "targetType" text, "targetId" text, outcome text, "requestId" text, "clientIp" text,
    details jsonb, algorithm text, "prevHash" text, hash text)`;

/** Inserts the rows of `json` (see chainRows in audit.service.ts). */
export async function insertEntries(tx: Tx, json: string): Promise<void> {
  await tx.query({
    name: 'audit_insert',
    text: `INSERT INTO audit_ledger (${COLUMNS}) ${FROM_JSON}`,
    values: [json],
  });
}

/**
 * One statement: moves the tip from `from` to `to` and inserts the rows of `json`, or does neither
 * when the tip is no longer `from`. Returns the number of rows inserted.
 */
export async function insertEntriesIfHead(
  db: Db,
  from: { seq: number; hash: string },
  to: { seq: number; hash: string },
  json: string,
): Promise<number> {
  const { rowCount } = await db.query({
    name: 'audit_insert_if_head',
    text: `WITH moved AS (UPDATE audit_head SET seq = $2, hash = $3 WHERE id AND seq = $4 AND hash = $5 RETURNING 1)
           INSERT INTO audit_ledger (${COLUMNS}) ${FROM_JSON} WHERE EXISTS (SELECT 1 FROM moved)`,
    values: [json, to.seq, to.hash, from.seq, from.hash],
  });
  return rowCount ?? 0;
}

export async function moveHead(tx: Tx, seq: number, hash: string): Promise<void> {
  await tx.query('UPDATE audit_head SET seq = $1, hash = $2 WHERE id', [seq, hash]);
}

/** Entries after `afterSeq` in chain order, `limit` at a time (for verification). */
export async function readChain(tx: Tx, afterSeq: number, limit: number): Promise<LedgerRow[]> {
  const { rows } = await tx.query(
    `SELECT ${COLUMNS} FROM audit_ledger WHERE seq > $1 ORDER BY seq LIMIT $2`,
    [afterSeq, limit],
  );
  return rows;
}

export async function readHead(tx: Tx | Db): Promise<{ seq: number; hash: string }> {
  const { rows } = await tx.query('SELECT seq, hash FROM audit_head WHERE id');
  return rows[0];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids of the users and API clients called `name`: the ledger is searched by actor id, which an
 * index serves, and by name only among entries without an actor id (failed sign-ins, the system).
 */
async function actorIds(tx: Tx, name: string): Promise<string[]> {
  const { rows } = await tx.query(
    'SELECT id FROM users WHERE username = $1 UNION ALL SELECT id FROM api_clients WHERE name = $1',
    [name],
  );
  return rows.map((r) => r.id);
}

function where(
  f: LedgerFilter,
  orgScope: string | null,
  namedActorIds: string[] = [],
): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const parts: string[] = [];
  const add = (cond: string, ...v: unknown[]) => {
    const at = values.length;
    values.push(...v);
    parts.push(cond.replace(/\?(\d)/g, (_, i) => `$${at + Number(i)}`));
  };
  if (orgScope) add('org_id = ?1', orgScope);
  if (f.actor && UUID.test(f.actor)) add('actor_id = ?1::uuid', f.actor);
  else if (f.actor)
    add(
      '(actor_id = ANY(?1::uuid[]) OR (actor_id IS NULL AND actor_name = ?2))',
      namedActorIds,
      f.actor,
    );
  if (f.org) add('org_id = ?1::uuid', f.org);
  if (f.action?.endsWith('*'))
    add('action LIKE ?1', `${f.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`);
  else if (f.action) add('action = ?1', f.action);
  if (f.from) add('at >= ?1', f.from);
  if (f.to) add('at < ?1', f.to);
  if (f.targetType) add('target_type = ?1', f.targetType);
  if (f.targetId) add('target_id = ?1', f.targetId);
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', values };
}

/** A filtered list counts its matches up to here; beyond, its total is "at least" this many. */
const COUNT_CAP = 10_000;

export async function list(
  tx: Tx,
  f: LedgerFilter,
  orgScope: string | null,
  limit: number,
  offset: number,
): Promise<{ rows: LedgerRow[]; total: number; totalExact: boolean }> {
  const w = where(f, orgScope, f.actor && !UUID.test(f.actor) ? await actorIds(tx, f.actor) : []);
  const n = w.values.length;
  const [page, count] = await Promise.all([
    tx.query(
      `SELECT ${COLUMNS} FROM audit_ledger ${w.sql} ORDER BY seq DESC LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...w.values, limit, offset],
    ),
    // The whole ledger's size is its tip's sequence number (no gaps); a filter's matches are
    // counted only up to COUNT_CAP, as counting millions of reads' entries would take seconds per
    // page.
    w.sql
      ? tx.query(
          `SELECT count(*)::int AS n FROM (SELECT 1 FROM audit_ledger ${w.sql} LIMIT ${COUNT_CAP + 1}) m`,
          w.values,
        )
      : tx.query('SELECT seq AS n FROM audit_head WHERE id'),
  ]);
  const total: number = count.rows[0].n;
  return {
    rows: page.rows,
    total: w.sql ? Math.min(total, COUNT_CAP) : total,
    totalExact: !w.sql || total <= COUNT_CAP,
  };
}

/**
 * Adds to audit_hourly (and its per-body totals, audit_hourly_org) every whole hour that ended at
 * least ten minutes ago and is not there yet (entries carry the time they were chained, a moment
 * before they commit). One statement: the state row is locked, so two instances rolling up at once
 * add each hour once. Returns the rows added to audit_hourly.
 */
export async function rollUpHours(db: Db): Promise<number> {
  const { rows } = await db.query(`
    WITH state AS (SELECT through FROM audit_hourly_state WHERE id FOR UPDATE),
    span AS (
      SELECT coalesce((SELECT through FROM state), (SELECT date_trunc('hour', min(at)) FROM audit_ledger)) AS lo,
             date_trunc('hour', now() - interval '10 minutes') AS hi
    ),
    added AS (
      INSERT INTO audit_hourly (hour, org_id, action, outcome, target_type, target_id, entries, rows)
      SELECT date_trunc('hour', l.at), l.org_id, l.action, l.outcome, l.target_type, CASE WHEN l.target_type = 'channel' THEN l.target_id END,
             count(*), coalesce(sum((l.details->>'rows')::numeric) FILTER (WHERE jsonb_typeof(l.details->'rows') = 'number'), 0)
        FROM audit_ledger l, span WHERE l.at >= span.lo AND l.at < span.hi
       GROUP BY 1, 2, 3, 4, 5, 6
      RETURNING hour, org_id, outcome, entries, rows
    ),
    by_org AS (
      INSERT INTO audit_hourly_org (hour, org_id, outcome, entries, rows)
      SELECT hour, org_id, outcome, sum(entries), sum(rows) FROM added GROUP BY 1, 2, 3
    ),
    moved AS (UPDATE audit_hourly_state SET through = (SELECT hi FROM span) WHERE id AND (through IS NULL OR through < (SELECT hi FROM span)))
    SELECT (SELECT count(*) FROM added)::int AS added`);
  return rows[0].added;
}

/**
 * Totals per day (Asia/Shanghai) of the entries matching `cond` since `since` (both SQL of our own;
 * values are parameters), from the hours rolled up in `hourly` plus the ledger's entries after
 * them. `select` aggregates `entries`, `rows` and `outcome`, which both sources have; `byOutcome`
 * splits each day. `cond` may name only columns `hourly` has.
 */
async function perDay<T>(
  tx: Tx,
  opts: {
    hourly: 'audit_hourly' | 'audit_hourly_org';
    cond: string;
    since: string;
    values: unknown[];
    byOutcome?: boolean;
    select: string;
  },
): Promise<T[]> {
  const keys = opts.byOutcome ? 'day, outcome' : 'day';
  const { rows } = await tx.query(
    `WITH rolled AS (SELECT coalesce((SELECT through FROM audit_hourly_state WHERE id), '-infinity') AS through),
     parts AS (
       -- summed per hour first: turning each row into a day costs more than adding the rows up
       SELECT hour AS at, outcome, sum(entries) AS entries, sum(rows) AS rows FROM ${opts.hourly}, rolled
        WHERE hour < rolled.through AND hour >= date_trunc('hour', ${opts.since}) AND ${opts.cond}
        GROUP BY hour, outcome
       UNION ALL
       SELECT at, outcome, 1, CASE WHEN jsonb_typeof(details->'rows') = 'number' THEN (details->>'rows')::numeric ELSE 0 END FROM audit_ledger, rolled
        WHERE at >= rolled.through AND at >= ${opts.since} AND ${opts.cond}
     )
     SELECT ${keys}, ${opts.select}
       FROM (SELECT to_char(at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, * FROM parts) p GROUP BY ${keys} ORDER BY ${keys}`,
    opts.values,
  );
  return rows;
}

/** Entries per day and outcome over the last `days` days, for the home page chart. */
export function activityByDay(
  tx: Tx,
  orgId: string | null,
  days: number,
): Promise<{ day: string; outcome: string; n: number }[]> {
  return perDay(tx, {
    hourly: 'audit_hourly_org',
    cond: '($1::uuid IS NULL OR org_id = $1)',
    since: 'now() - make_interval(days => $2)',
    values: [orgId, days],
    byOutcome: true,
    select: 'sum(entries)::int AS n',
  });
}

const CHANNEL_READS = `('share.read', 'share.changes', 'share.export', 'share.verify', 'share.push')`;

/**
 * Reads through a channel per day over the last 30 days: successful reads, rows returned, refusals.
 */
export function channelUsage(
  tx: Tx,
  channelId: string,
): Promise<{ day: string; reads: number; rows: number; denied: number }[]> {
  return perDay(tx, {
    hourly: 'audit_hourly',
    cond: `target_type = 'channel' AND target_id = $1 AND action IN ${CHANNEL_READS}`,
    since: "now() - interval '30 days'",
    values: [channelId],
    select: `coalesce(sum(entries) FILTER (WHERE outcome = 'success'), 0)::int AS reads, coalesce(sum(rows) FILTER (WHERE outcome = 'success'), 0)::bigint AS rows,
             coalesce(sum(entries) FILTER (WHERE outcome = 'denied'), 0)::int AS denied`,
  });
}
