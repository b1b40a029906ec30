import type { Tx } from '../../db/pool.js';
import * as repo from './quality.repository.js';
import { FRESH_FOR, timeliness, type BatchScores, type UpdateFrequency } from './quality.scores.js';

export interface OverdueResource {
  resourceId: string;
  code: string | null;
  name: string;
  providerOrgId: string;
  providerName: string;
  updateFrequency: string;
  lastLoadedAt: string | null;
  dueAt: string;
  daysOverdue: number;
}

/**
 * Resources whose pooled data is older than their declared update frequency `[001 §13]`:
 * all of them for the platform admin (`orgId` null), or one provider's for its home page.
 */
export async function overdueResources(tx: Tx, orgId: string | null): Promise<OverdueResource[]> {
  return (await repo.overdue(tx, orgId, FRESH_FOR)).map((r) => ({
    resourceId: r.resource_id,
    code: r.code,
    name: r.name,
    providerOrgId: r.provider_org_id,
    providerName: r.provider_name,
    updateFrequency: r.update_frequency,
    lastLoadedAt: r.last_loaded_at?.toISOString() ?? null,
    dueAt: r.due_at.toISOString(),
    daysOverdue: r.days_overdue,
  }));
}

export interface ResourceQuality {
  resourceId: string;
  current: BatchScores | null;
  lastLoadedAt: string | null;
  overdue: boolean;
  series: (BatchScores & { batchId: string; at: string; rows: number })[];
  rules: repo.RuleResult[];
}

const num = (s: string) => Number(s);

/**
 * Scores over time of a resource, with the latest batch's rule results and timeliness as of now.
 */
export async function resourceQuality(
  tx: Tx,
  r: {
    resourceId: string;
    updateFrequency: UpdateFrequency;
    publishedAt: Date;
    lastLoadedAt: Date | null;
  },
): Promise<ResourceQuality> {
  const runs = await repo.listRuns(tx, r.resourceId, 100);
  const series = runs.map((x) => ({
    batchId: x.batch_id,
    at: x.at.toISOString(),
    rows: x.rows_checked,
    completeness: num(x.completeness),
    accuracy: num(x.accuracy),
    consistency: num(x.consistency),
    timeliness: num(x.timeliness),
    overall: num(x.overall),
  }));
  const now = timeliness(r.updateFrequency, r.lastLoadedAt ?? r.publishedAt, new Date());
  const last = series.at(-1);
  const current = last
    ? {
        completeness: last.completeness,
        accuracy: last.accuracy,
        consistency: last.consistency,
        timeliness: now,
        overall:
          Math.round(((last.completeness + last.accuracy + last.consistency + now) / 4) * 10_000) /
          10_000,
      }
    : null;
  return {
    resourceId: r.resourceId,
    current,
    lastLoadedAt: r.lastLoadedAt?.toISOString() ?? null,
    overdue: now < 1,
    series,
    rules: runs.at(-1)?.rule_results ?? [],
  };
}

export { insertRun as recordRun } from './quality.repository.js';
