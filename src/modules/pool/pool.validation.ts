/**
 * Field and dataset rules of a batch as set-based SQL over the staging table, so validation
 * runs inside PostgreSQL in a few scans whatever the batch size. Patterns and enum values are
 * user text and reach SQL only as bound parameters.
 */
import type { PoolEntry, PoolField, BatchMode } from './pool.types.js';
import { castExpr, col, poolTable, typeCheck } from './pool.sql.js';

export const STAGING = 'pg_temp.gongshu_staging';
/** Rules that concern the dataset rather than one value; they count against consistency. */
export const DATASET_RULES = ['unique', 'unique_in_batch'];

/** SQL text and parameters built together; `$1` is always the batch id. */
class Params {
  readonly values: unknown[];
  constructor(batchId: string) { this.values = [batchId]; }
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

interface Check { field: string; rule: string; value: string; bad: string }

const SQL_VALIDATORS = { id_card: 'gongshu_valid_id_card', uscc: 'gongshu_valid_uscc', mobile: 'gongshu_valid_mobile', bank_card: 'gongshu_valid_bank_card' } as const;

/** Each rule of one field as an expression that is true (never null) when the staged value breaks it. */
function fieldChecks(entry: PoolEntry, f: PoolField, p: Params): Check[] {
  const v = `s.${col(f)}`;
  const filled = `(${v} IS NOT NULL AND ${v} <> '')`;
  const typed = typeCheck(f.type, v);
  const checks: Check[] = [];
  const add = (rule: string, bad: string) => checks.push({ field: f.name, rule, value: v, bad });
  if (f.required || f.name === entry.identifierField) add('required', `NOT ${filled}`);
  if (f.type !== 'string') add('type', `(${filled} AND NOT (${typed}))`);
  if (f.type === 'string' && f.length) add('length', `coalesce(char_length(${v}), 0) > ${Number(f.length)}`);
  if (f.pattern) add('pattern', `(${filled} AND ${v} !~ ${p.add(`^(?:${f.pattern})$`)})`);
  if (f.enumValues?.length) add('enum', `(${filled} AND ${v} <> ALL(${p.add(f.enumValues)}::text[]))`);
  if ((f.type === 'integer' || f.type === 'decimal') && (f.min != null || f.max != null)) {
    const n = castExpr(f.type, v);
    const out = [f.min != null ? `${n} < ${p.add(f.min)}::numeric` : null, f.max != null ? `${n} > ${p.add(f.max)}::numeric` : null].filter(Boolean).join(' OR ');
    add('range', `CASE WHEN ${filled} AND ${typed} THEN coalesce(${out}, false) ELSE false END`);
  }
  if (f.validator) add(f.validator, `(${filled} AND NOT ${SQL_VALIDATORS[f.validator]}(${v}))`);
  return checks;
}

/**
 * One statement recording every broken field rule of every staged row in `rejected_rows`.
 * Rows are first filtered by the conjunction of all rules, so a clean row is checked once.
 */
export function fieldRulesSql(entry: PoolEntry, batchId: string): { text: string; values: unknown[] } {
  const p = new Params(batchId);
  // a row that could not be read at all ('*') is listed once, not once per field
  const checks = entry.fields.flatMap((f) => fieldChecks(entry, f, p));
  const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const rows = [
    ...checks.map((c) => `(${lit(c.field)}, ${lit(c.rule)}, ${c.value}, ${c.bad} AND s._p_field IS DISTINCT FROM '*')`),
    '(s._p_field, s._p_rule, s._p_value, s._p_rule IS NOT NULL)',
  ].join(',\n      ');
  const anyBad = ['s._p_rule IS NOT NULL', ...checks.map((c) => c.bad)].join('\n      OR ');
  return {
    text: `INSERT INTO rejected_rows (batch_id, row_no, field, rule, value)
    SELECT $1, s._rn, x.field, x.rule, left(x.value, 1000)
      FROM (SELECT * FROM ${STAGING} s WHERE ${anyBad}) s
      CROSS JOIN LATERAL (VALUES
      ${rows}) AS x(field, rule, value, bad)
     WHERE x.bad`,
    values: p.values,
  };
}

/** Rejects later rows repeating an identifier already seen in the batch. */
export function uniqueInBatchSql(entry: PoolEntry): string | null {
  const id = identifier(entry);
  if (!id) return null;
  return `INSERT INTO rejected_rows (batch_id, row_no, field, rule, value)
    SELECT $1, d._rn, '${id.name}', 'unique_in_batch', d.v FROM (
      SELECT _rn, ${col(id)} AS v, row_number() OVER (PARTITION BY ${col(id)} ORDER BY _rn) AS n
        FROM ${STAGING} WHERE ${col(id)} <> '') d
     WHERE d.n > 1`;
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

/** Received rows and filled cells, for completeness. */
export function profileSql(entry: PoolEntry): string {
  const filled = entry.fields.map((f) => `count(NULLIF(${col(f)}, ''))`).join(' + ') || '0';
  return `SELECT count(*)::bigint AS received, (${filled})::bigint AS filled FROM ${STAGING}`;
}

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
