/**
 * Merging the accepted staged rows into a pool table, with one change record per inserted,
 * updated or deleted row. Runs inside the batch's transaction: all accepted rows or none.
 */
import type { Tx } from '../../db/pool.js';
import type { BatchMode, PoolEntry } from './pool.types.js';
import { castExpr, changeTable, col, poolTable } from './pool.sql.js';
import { STAGING, identifier } from './pool.validation.js';

export interface MergeCounts {
  inserted: number;
  updated: number;
  deleted: number;
}

const casts = (entry: PoolEntry) =>
  entry.fields.map((f) => `${castExpr(f.type, `s.${col(f)}`)} AS ${col(f)}`).join(', ');

export async function logged(
  tx: Tx,
  entry: PoolEntry,
  op: string,
  dml: string,
  batchId: string,
): Promise<number> {
  const res = await tx.query(
    `WITH m AS (${dml} RETURNING _row_id) INSERT INTO ${changeTable(entry)} (op, row_id, batch_id) SELECT '${op}', _row_id, $1 FROM m`,
    [batchId],
  );
  return res.rowCount ?? 0;
}

export function insertSql(entry: PoolEntry, onlyNewKeys: boolean): string {
  const id = identifier(entry);
  const cols = entry.fields.map((f) => col(f)).join(', ');
  const notInPool =
    onlyNewKeys && id
      ? ` AND NOT EXISTS (SELECT 1 FROM ${poolTable(entry)} p WHERE p.${col(id)} = ${castExpr(id.type, `s.${col(id)}`)})`
      : '';
  return `INSERT INTO ${poolTable(entry)} (${cols}${cols ? ', ' : ''}_batch_id)
    SELECT ${casts(entry)}${cols ? ', ' : ''}$1 FROM ${STAGING} s WHERE NOT s._bad${notInPool}`;
}

function updateSql(entry: PoolEntry): string {
  const id = identifier(entry)!;
  const sets = entry.fields.filter((f) => f !== id).map((f) => `${col(f)} = src.${col(f)}`);
  const mine = entry.fields.map((f) => `p.${col(f)}`).join(', ');
  const theirs = entry.fields.map((f) => `src.${col(f)}`).join(', ');
  return `UPDATE ${poolTable(entry)} p SET ${[...sets, '_batch_id = $1', '_valid_from = now()', '_deleted = false'].join(', ')}
    FROM (SELECT ${casts(entry)} FROM ${STAGING} s WHERE NOT s._bad) src
   WHERE p.${col(id)} = src.${col(id)} AND (${mine}, p._deleted) IS DISTINCT FROM (${theirs}, false)`;
}

/**
 * Rows of the pool whose identifier the snapshot did not contain (rejected rows count as
 * contained).
 */
function absentSql(entry: PoolEntry): string {
  const id = identifier(entry);
  const absent = id
    ? ` AND NOT EXISTS (SELECT 1 FROM ${STAGING} s WHERE ${castExpr(id.type, `s.${col(id)}`)} = p.${col(id)})`
    : '';
  return `UPDATE ${poolTable(entry)} p SET _deleted = true, _batch_id = $1, _valid_from = now() WHERE NOT p._deleted${absent}`;
}

/**
 * Applies the accepted rows in `mode`; the staging table holds them with `_bad` marking the
 * rejected.
 */
export async function mergeBatch(
  tx: Tx,
  entry: PoolEntry,
  mode: BatchMode,
  batchId: string,
): Promise<MergeCounts> {
  const keyed = Boolean(identifier(entry));
  const counts: MergeCounts = { inserted: 0, updated: 0, deleted: 0 };
  if (mode === 'snapshot')
    counts.deleted = await logged(tx, entry, 'delete', absentSql(entry), batchId);
  if (keyed && mode !== 'append')
    counts.updated = await logged(tx, entry, 'update', updateSql(entry), batchId);
  counts.inserted = await logged(
    tx,
    entry,
    'insert',
    insertSql(entry, keyed && mode !== 'append'),
    batchId,
  );
  return counts;
}
