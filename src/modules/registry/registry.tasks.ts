import type { Tx } from '../../db/pool.js';
import type { Actor } from '../identity/index.js';
import type { Task } from '../workbench/index.js';
import { hasPermission } from '../../server/platform/access.js';

/**
 * The home page's lines for the function data list's 审定 [003 §10]: lists waiting for the data
 * authority, and a body's own list that came back.
 */
export async function registryTasks(tx: Tx, actor: Actor): Promise<Task[]> {
  const tasks: Task[] = [];
  if (hasPermission(actor, 'catalog.review')) {
    const { rows: [r] } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM function_data_reviews WHERE status = 'submitted'`);
    tasks.push({ kind: 'function_data.review', title: { zh: '待审定的职能数据清单', en: 'Function data lists to approve' }, count: r.n, link: '/registry/functions' });
  }
  if (hasPermission(actor, 'registry.write') && actor.orgId) {
    const { rows: [r] } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM function_data_reviews WHERE status = 'returned' AND org_id = $1`, [actor.orgId]);
    tasks.push({ kind: 'function_data.returned', title: { zh: '被退回的职能数据清单', en: 'Function data list returned' }, count: r.n, link: '/registry/functions' });
  }
  return tasks;
}
