/**
 * Dataset rules of a batch as set-based SQL over the staging table (identifier unique in the
 * batch and in the pool), and the summaries of `rejected_rows`. The per-value field rules run
 * in Node as rows stream in (pool.checks.ts); their SQL reference is `typeCheck` and the
 * `gongshu_valid_*` functions.
 */
import type { PoolEntry, PoolField, BatchMode } from './pool.types.js';
import { castExpr, col, poolTable, typeCheck } from './pool.sql.js';

export const STAGING = 'pg_temp.gongshu_staging';

/**
 * The pattern rule of fields whose pattern only PostgreSQL can be trusted with (see jsPattern),
 * over the staged rows.
 */
export function sqlPatternSql(f: PoolField): { text: string; values: unknown[] } {
  const v = `s.${col(f)}`;
  return {
    text: `INSERT INTO rejected_rows (batch_id, row_no, field, rule, value)
    SELECT $1, s._rn, '${f.name}', 'pattern', left(${v}, 1000) FROM ${STAGING} s
     WHERE ${v} IS NOT NULL AND ${v} <> '' AND ${v} !~ $2`,
    values: [`^(?:${f.pattern})$`],
  };
}

/**
 * Rejects later rows repeating an identifier already seen in the batch. With `orInPool` (after a
 * direct load into an empty pool, text identifier), a staged row also repeats an identifier
 * when the pool (this batch's rows, all earlier) holds it.
 */
export function uniqueInBatchSql(entry: PoolEntry, orInPool = false): string | null {
  const id = identifier(entry);
  if (!id) return null;
  return `INSERT INTO rejected_rows (batch_id, row_no, field, rule, value)
    SELECT $1, d._rn, '${id.name}', 'unique_in_batch', d.v FROM (
      SELECT _rn, ${col(id)} AS v, row_number() OVER (PARTITION BY ${col(id)} ORDER BY _rn) AS n
        FROM ${STAGING} WHERE ${col(id)} <> '') d
     WHERE d.n > 1${orInPool ? ` OR EXISTS (SELECT 1 FROM ${poolTable(entry)} p WHERE p.${col(id)} = d.v)` : ''}`;
}

/** In append mode an identifier already in the pool breaks uniqueness. */
export function uniqueInPoolSql(entry: PoolEntry, mode: BatchMode): string | null {
  const id = identifier(entry);
  if (!id || mode !== 'append') return null;
  const v = `s.${col(id)}`;
  return `INSERT INTO rejected_rows (batch_id, row_no, field, rule, value)
    SELECT $1, s._rn, '${id.name}', 'unique', ${v}
      FROM ${STAGING} s JOIN ${poolTable(entry)} p ON p.${col(id)} = (${castExpr(id.type, v)})
     WHERE ${v} <> '' AND ${typeCheck(id.type, v)}`;
}

/** Marks staged rows that broke any rule, so the merge skips them. */
export const markRejectedSql = `UPDATE ${STAGING} s SET _bad = true
  FROM (SELECT DISTINCT row_no FROM rejected_rows WHERE batch_id = $1) r WHERE s._rn = r.row_no`;

/** Rejected rows split by the kind of rule broken, and counts per field and rule. */
export const rejectionSummarySql = `SELECT
    count(DISTINCT row_no)::bigint AS rejected,
    count(DISTINCT row_no) FILTER (WHERE rule NOT IN ('unique', 'unique_in_batch'))::bigint AS inaccurate,
    count(DISTINCT row_no) FILTER (WHERE rule IN ('unique', 'unique_in_batch'))::bigint AS inconsistent
  FROM rejected_rows WHERE batch_id = $1`;

export const ruleCountsSql = `SELECT field, rule, count(*)::bigint AS violations
  FROM rejected_rows WHERE batch_id = $1 GROUP BY field, rule ORDER BY violations DESC LIMIT 200`;

export function identifier(entry: PoolEntry): PoolField | undefined {
  return entry.fields.find((f) => f.name === entry.identifierField);
}
