/** SQL for the pool's own tables; one query per method, each taking the transaction. */
import type { Tx } from '../../db/pool.js';
import type {
  BatchFormat,
  BatchMode,
  BatchStatus,
  PoolEntry,
  PoolField,
  UpdateFrequency,
} from './pool.types.js';
import { changeTable, col, poolTable } from './pool.sql.js';

interface PoolEntryRow {
  resource_id: string;
  table_name: string;
  provider_org_id: string;
  code: string | null;
  name: string;
  version: number;
  update_frequency: UpdateFrequency;
  identifier_field: string | null;
  fields: PoolField[];
  next_column: number;
  published_at: Date;
  last_loaded_at: Date | null;
}

const toEntry = (r: PoolEntryRow): PoolEntry => ({
  resourceId: r.resource_id,
  tableName: r.table_name,
  providerOrgId: r.provider_org_id,
  code: r.code,
  name: r.name,
  version: r.version,
  updateFrequency: r.update_frequency,
  identifierField: r.identifier_field,
  fields: r.fields,
  nextColumn: r.next_column,
  publishedAt: r.published_at,
  lastLoadedAt: r.last_loaded_at,
});

export async function findPoolEntry(
  tx: Tx,
  resourceId: string,
  opts: { lock?: boolean } = {},
): Promise<PoolEntry | null> {
  const { rows } = await tx.query<PoolEntryRow>(
    `SELECT * FROM pool_tables WHERE resource_id = $1${opts.lock ? ' FOR UPDATE' : ''}`,
    [resourceId],
  );
  return rows[0] ? toEntry(rows[0]) : null;
}

export async function insertPoolEntry(tx: Tx, e: PoolEntry): Promise<void> {
  await tx.query(
    `INSERT INTO pool_tables (resource_id, table_name, provider_org_id, code, name, version, update_frequency, identifier_field, fields, next_column)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      e.resourceId,
      e.tableName,
      e.providerOrgId,
      e.code,
      e.name,
      e.version,
      e.updateFrequency,
      e.identifierField,
      JSON.stringify(e.fields),
      e.nextColumn,
    ],
  );
}

export async function updatePoolEntry(tx: Tx, e: PoolEntry): Promise<void> {
  await tx.query(
    `UPDATE pool_tables SET provider_org_id = $2, code = $3, name = $4, version = $5, update_frequency = $6, identifier_field = $7,
       fields = $8, next_column = $9, updated_at = now() WHERE resource_id = $1`,
    [
      e.resourceId,
      e.providerOrgId,
      e.code,
      e.name,
      e.version,
      e.updateFrequency,
      e.identifierField,
      JSON.stringify(e.fields),
      e.nextColumn,
    ],
  );
}

export async function touchLastLoaded(tx: Tx, resourceId: string): Promise<void> {
  await tx.query('UPDATE pool_tables SET last_loaded_at = now() WHERE resource_id = $1', [
    resourceId,
  ]);
}

/** Pool entries visible to an organisation scope (null: every one). */
export async function listPoolEntries(tx: Tx, orgId: string | null): Promise<PoolEntry[]> {
  const { rows } = await tx.query<PoolEntryRow>(
    'SELECT * FROM pool_tables WHERE ($1::uuid IS NULL OR provider_org_id = $1) ORDER BY name',
    [orgId],
  );
  return rows.map(toEntry);
}

export interface BatchRow {
  id: string;
  resource_id: string;
  lock_no: number;
  mode: BatchMode;
  strict: boolean;
  format: BatchFormat;
  idempotency_key: string | null;
  status: BatchStatus;
  received: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  bytes: number;
  error: Record<string, unknown> | null;
  org_id: string;
  actor_kind: string;
  actor_id: string;
  actor_name: string;
  file_name: string | null;
  started_at: Date;
  finished_at: Date | null;
}

export interface NewBatch {
  resourceId: string;
  mode: BatchMode;
  strict: boolean;
  format: BatchFormat;
  idempotencyKey: string | null;
  orgId: string;
  actorKind: string;
  actorId: string;
  actorName: string;
  fileName: string | null;
}

export async function insertBatch(tx: Tx, b: NewBatch): Promise<BatchRow> {
  const { rows } = await tx.query<BatchRow>(
    `INSERT INTO batches (resource_id, mode, strict, format, idempotency_key, status, org_id, actor_kind, actor_id, actor_name, file_name)
     VALUES ($1, $2, $3, $4, $5, 'running', $6, $7, $8, $9, $10) RETURNING *`,
    [
      b.resourceId,
      b.mode,
      b.strict,
      b.format,
      b.idempotencyKey,
      b.orgId,
      b.actorKind,
      b.actorId,
      b.actorName,
      b.fileName,
    ],
  );
  return rows[0];
}

/** Starts a failed batch afresh under the same idempotency key. */
export async function restartBatch(tx: Tx, id: string, b: NewBatch): Promise<BatchRow> {
  await tx.query('DELETE FROM rejected_rows WHERE batch_id = $1', [id]);
  const { rows } = await tx.query<BatchRow>(
    `UPDATE batches SET status = 'running', mode = $2, strict = $3, format = $4, received = 0, accepted = 0, rejected = 0,
       inserted = 0, updated = 0, deleted = 0, unchanged = 0, bytes = 0, error = NULL, org_id = $5, actor_kind = $6, actor_id = $7,
       actor_name = $8, file_name = $9, started_at = now(), finished_at = NULL
     WHERE id = $1 RETURNING *`,
    [id, b.mode, b.strict, b.format, b.orgId, b.actorKind, b.actorId, b.actorName, b.fileName],
  );
  return rows[0];
}

export async function findBatchByKey(
  tx: Tx,
  resourceId: string,
  key: string,
): Promise<BatchRow | null> {
  const { rows } = await tx.query<BatchRow>(
    'SELECT * FROM batches WHERE resource_id = $1 AND idempotency_key = $2 FOR UPDATE',
    [resourceId, key],
  );
  return rows[0] ?? null;
}

export async function findBatch(tx: Tx, id: string): Promise<BatchRow | null> {
  const { rows } = await tx.query<BatchRow>('SELECT * FROM batches WHERE id = $1', [id]);
  return rows[0] ?? null;
}

export async function listBatches(
  tx: Tx,
  resourceId: string,
  limit: number,
  offset: number,
): Promise<{ rows: BatchRow[]; total: number }> {
  const { rows } = await tx.query<BatchRow & { total: number }>(
    `SELECT *, count(*) OVER () AS total FROM batches WHERE resource_id = $1 ORDER BY started_at DESC LIMIT $2 OFFSET $3`,
    [resourceId, limit, offset],
  );
  return { rows, total: rows[0]?.total ?? 0 };
}

export interface BatchOutcome {
  status: BatchStatus;
  received: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  bytes: number;
  error: Record<string, unknown> | null;
}

export async function finishBatch(tx: Tx, id: string, o: BatchOutcome): Promise<BatchRow> {
  const { rows } = await tx.query<BatchRow>(
    `UPDATE batches SET status = $2, received = $3, accepted = $4, rejected = $5, inserted = $6, updated = $7, deleted = $8,
       unchanged = $9, bytes = $10, error = $11, finished_at = clock_timestamp() WHERE id = $1 RETURNING *`,
    [
      id,
      o.status,
      o.received,
      o.accepted,
      o.rejected,
      o.inserted,
      o.updated,
      o.deleted,
      o.unchanged,
      o.bytes,
      o.error && JSON.stringify(o.error),
    ],
  );
  return rows[0];
}

/** Marks a batch failed unless it already finished. */
export async function failBatch(tx: Tx, id: string, error: Record<string, unknown>): Promise<void> {
  await tx.query(
    `UPDATE batches SET status = 'failed', error = $2, finished_at = clock_timestamp() WHERE id = $1 AND status = 'running'`,
    [id, JSON.stringify(error)],
  );
}

export async function runningBatches(tx: Tx): Promise<Pick<BatchRow, 'id' | 'lock_no'>[]> {
  const { rows } = await tx.query<Pick<BatchRow, 'id' | 'lock_no'>>(
    `SELECT id, lock_no FROM batches WHERE status = 'running'`,
  );
  return rows;
}

export interface RejectedRow {
  row_no: number;
  field: string;
  rule: string;
  value: string | null;
}

export async function listRejected(
  tx: Tx,
  batchId: string,
  limit: number,
  offset: number,
): Promise<RejectedRow[]> {
  const { rows } = await tx.query<RejectedRow>(
    `SELECT row_no, field, rule, value FROM rejected_rows WHERE batch_id = $1 ORDER BY row_no, field, rule LIMIT $2 OFFSET $3`,
    [batchId, limit, offset],
  );
  return rows;
}

export async function countRejected(tx: Tx, batchId: string): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM rejected_rows WHERE batch_id = $1',
    [batchId],
  );
  return rows[0].n;
}

export interface ChangeRow {
  cursor: number;
  op: 'insert' | 'update' | 'delete';
  row_id: number;
  batch_id: string;
  at: Date;
  [column: string]: unknown;
}

/** Changes after `since`, each with the row as it is now (deleted rows carry their last values). */
export async function readChanges(
  tx: Tx,
  entry: PoolEntry,
  since: number,
  limit: number,
): Promise<ChangeRow[]> {
  const cols = entry.fields.map((f) => `p.${col(f)}`).join(', ');
  const { rows } = await tx.query<ChangeRow>(
    `SELECT c.cursor, c.op, c.row_id, c.batch_id, c.at${cols ? `, ${cols}` : ''}
       FROM ${changeTable(entry)} c JOIN ${poolTable(entry)} p ON p._row_id = c.row_id
      WHERE c.cursor > $1 ORDER BY c.cursor LIMIT $2`,
    [since, limit],
  );
  return rows;
}

/** Live (not deleted) rows of a pool table, oldest first. */
export async function readRows(
  tx: Tx,
  entry: PoolEntry,
  limit: number,
  offset: number,
): Promise<Record<string, unknown>[]> {
  const cols = entry.fields.map((f) => col(f)).join(', ');
  const { rows } = await tx.query(
    `SELECT _row_id${cols ? `, ${cols}` : ''} FROM ${poolTable(entry)} WHERE NOT _deleted ORDER BY _row_id LIMIT $1 OFFSET $2`,
    [limit, offset],
  );
  return rows;
}
