import type { Tx } from '../../db/pool.js';
import type { Actor } from '../identity/index.js';
import type { Task } from '../workbench/index.js';
import { hasPermission } from '../../server/platform/access.js';

/**
 * The home page's line for detected personal data its provider has not decided on yet: the
 * fields of its own pooled resources, linked to the resource when there is one, else to the pool.
 */
export async function classificationTasks(tx: Tx, actor: Actor): Promise<Task[]> {
  if (!hasPermission(actor, 'pool.load') || !actor.orgId) return [];
  const { rows: [r] } = await tx.query<{ fields: number; resources: number; one: string | null }>(
    `SELECT count(*)::int AS fields, count(DISTINCT p.resource_id)::int AS resources, min(p.resource_id::text) AS one
       FROM classification_proposals p JOIN pool_tables t ON t.resource_id = p.resource_id
      WHERE p.status = 'proposed' AND t.provider_org_id = $1`, [actor.orgId]);
  return [{
    kind: 'classification.proposed', title: { zh: '待确认的个人信息识别结果（字段）', en: 'Detected personal data awaiting your decision (fields)' },
    count: r.fields, link: r.resources === 1 ? `/pool/${r.one}` : '/pool',
  }];
}
