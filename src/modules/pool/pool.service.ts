/** Reading batches, rejected rows, pooled rows and the change history. */
import type { Db, Tx } from '../../db/pool.js';
import { AppError } from '../../lib/errors.js';
import type { Actor } from '../identity/index.js';
import { undecidedCounts } from '../classification/index.js';
import * as repo from './pool.repository.js';
import { inspectionScope, mayInspect } from './pool.policy.js';
import { presentChange, presentPoolInfo, presentRow } from './pool.presenter.js';
import { poolTable } from './pool.sql.js';
import { recoverInterruptedBatches } from './pool.load.js';
import type { PoolEntry } from './pool.types.js';

/** The pool entry of a resource the actor may inspect; another body's answers as not found. */
export async function entryFor(tx: Tx, actor: Actor, resourceId: string): Promise<PoolEntry> {
  const entry = await repo.findPoolEntry(tx, resourceId);
  if (!entry || !mayInspect(actor, entry)) throw new AppError('NOT_FOUND');
  return entry;
}

/** A batch the actor may see; a 'running' batch of a dead process is marked failed first. */
export async function getBatch(
  db: Db,
  tx: Tx,
  actor: Actor,
  batchId: string,
): Promise<repo.BatchRow> {
  let batch = await repo.findBatch(tx, batchId);
  if (!batch) throw new AppError('NOT_FOUND');
  await entryFor(tx, actor, batch.resource_id);
  if (batch.status === 'running' && (await recoverInterruptedBatches(db)) > 0)
    batch = (await repo.findBatch(tx, batchId))!;
  return batch;
}

export async function listBatches(
  tx: Tx,
  actor: Actor,
  resourceId: string,
  page: number,
  pageSize: number,
) {
  await entryFor(tx, actor, resourceId);
  return repo.listBatches(tx, resourceId, pageSize, (page - 1) * pageSize);
}

export async function listRejected(tx: Tx, batchId: string, limit: number, offset: number) {
  const [total, rows] = [
    await repo.countRejected(tx, batchId),
    await repo.listRejected(tx, batchId, limit, offset),
  ];
  return {
    batchId,
    total,
    items: rows.map((r) => ({
      row: Number(r.row_no),
      field: r.field,
      rule: r.rule,
      value: r.value,
    })),
  };
}

/** The COPY statement streaming a batch's rejected rows as CSV (the id is a checked uuid). */
export function rejectedCsvSql(batchId: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(batchId)) throw new AppError('NOT_FOUND');
  return `COPY (SELECT row_no AS "row", field, rule, value FROM rejected_rows WHERE batch_id = '${batchId}' ORDER BY row_no, field, rule) TO STDOUT WITH (FORMAT csv, HEADER)`;
}

/**
 * Changes to a resource's pool after `sinceCursor`, oldest first, each with the row as it is
 * now (a deleted row with its last values). For the sharing module's change feed.
 */
export async function readChanges(tx: Tx, resourceId: string, sinceCursor: number, limit: number) {
  const entry = await repo.findPoolEntry(tx, resourceId);
  if (!entry) throw new AppError('NOT_FOUND');
  const items = (await repo.readChanges(tx, entry, sinceCursor, limit)).map((c) =>
    presentChange(entry, c),
  );
  return { items, nextCursor: items.at(-1)?.cursor ?? sinceCursor };
}

async function liveRows(tx: Tx, entry: PoolEntry): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `SELECT count(*)::bigint AS n FROM ${poolTable(entry)} WHERE NOT _deleted`,
  );
  return Number(rows[0].n);
}

export async function poolInfo(tx: Tx, actor: Actor, resourceId: string) {
  const entry = await entryFor(tx, actor, resourceId);
  return presentPoolInfo(
    entry,
    await liveRows(tx, entry),
    (await undecidedCounts(tx, { resourceIds: [entry.resourceId] })).get(entry.resourceId) ?? 0,
  );
}

/** The pooled resources an actor may load into or inspect: its own body's, or all for overseers. */
export async function listPoolInfo(tx: Tx, actor: Actor) {
  const entries = await repo.listPoolEntries(tx, inspectionScope(actor));
  const out = [];
  const pending = await undecidedCounts(tx, { resourceIds: entries.map((e) => e.resourceId) });
  for (const e of entries)
    out.push(presentPoolInfo(e, await liveRows(tx, e), pending.get(e.resourceId) ?? 0));
  return out;
}

export async function readRows(
  tx: Tx,
  actor: Actor,
  resourceId: string,
  limit: number,
  offset: number,
) {
  const entry = await entryFor(tx, actor, resourceId);
  return (await repo.readRows(tx, entry, limit, offset)).map((r) => ({
    _rowId: Number(r._row_id),
    ...presentRow(entry, r),
  }));
}
