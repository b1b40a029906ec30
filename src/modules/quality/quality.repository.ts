/** SQL for quality runs and freshness; one query per method. */
import type { Tx } from '../../db/pool.js';
import type { BatchScores } from './quality.scores.js';

export interface RuleResult {
  field: string;
  rule: string;
  violations: number;
}

export async function insertRun(
  tx: Tx,
  run: {
    resourceId: string;
    batchId: string;
    rowsChecked: number;
    scores: BatchScores;
    rules: RuleResult[];
  },
): Promise<void> {
  const s = run.scores;
  await tx.query(
    `INSERT INTO quality_runs (resource_id, batch_id, rows_checked, completeness, accuracy, consistency, timeliness, overall, rule_results)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      run.resourceId,
      run.batchId,
      run.rowsChecked,
      s.completeness,
      s.accuracy,
      s.consistency,
      s.timeliness,
      s.overall,
      JSON.stringify(run.rules),
    ],
  );
}

export interface RunRow {
  batch_id: string;
  at: Date;
  rows_checked: number;
  completeness: string;
  accuracy: string;
  consistency: string;
  timeliness: string;
  overall: string;
  rule_results: RuleResult[];
}

export async function listRuns(tx: Tx, resourceId: string, limit: number): Promise<RunRow[]> {
  const { rows } = await tx.query<RunRow>(
    `SELECT * FROM (SELECT batch_id, at, rows_checked, completeness, accuracy, consistency, timeliness, overall, rule_results
       FROM quality_runs WHERE resource_id = $1 ORDER BY at DESC LIMIT $2) r ORDER BY at`,
    [resourceId, limit],
  );
  return rows;
}

export interface OverdueRow {
  resource_id: string;
  code: string | null;
  name: string;
  provider_org_id: string;
  provider_name: string;
  update_frequency: string;
  last_loaded_at: Date | null;
  due_at: Date;
  days_overdue: number;
}

/**
 * Pooled resources whose data is older than their declared update frequency, for one provider
 * or (orgId null) for all. `freshFor` maps each frequency to an interval; irregular has none.
 */
export async function overdue(
  tx: Tx,
  orgId: string | null,
  freshFor: Record<string, string | null>,
): Promise<OverdueRow[]> {
  const { rows } = await tx.query<OverdueRow>(
    `SELECT t.resource_id, t.code, t.name, t.provider_org_id, o.name AS provider_name, t.update_frequency, t.last_loaded_at,
            d.due_at, floor(extract(epoch FROM now() - d.due_at) / 86400)::int AS days_overdue
       FROM pool_tables t
       JOIN organisations o ON o.id = t.provider_org_id
       JOIN jsonb_each_text($2::jsonb) f(frequency, fresh_for) ON f.frequency = t.update_frequency
       CROSS JOIN LATERAL (SELECT coalesce(t.last_loaded_at, t.published_at) + f.fresh_for::interval AS due_at) d
      WHERE ($1::uuid IS NULL OR t.provider_org_id = $1) AND d.due_at < now()
      ORDER BY d.due_at`,
    [
      orgId,
      JSON.stringify(Object.fromEntries(Object.entries(freshFor).filter(([, v]) => v !== null))),
    ],
  );
  return rows;
}
