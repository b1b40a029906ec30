import type { Tx } from '../../db/pool.js';
import type { Actor } from '../identity/index.js';
import type { Task } from '../workbench/index.js';
import { hasPermission } from '../../server/platform/access.js';
import { getFunctionReview, submittedFunctionLists } from './registry.repository.js';

/**
 * The home page's lines for the function data list's 审定 [003 §10]: lists waiting for the data
 * authority, and a body's own list that came back.
 */
export async function registryTasks(tx: Tx, actor: Actor): Promise<Task[]> {
  const tasks: Task[] = [];
  if (hasPermission(actor, 'catalog.review')) {
    const waiting = await submittedFunctionLists(tx);
    tasks.push({
      kind: 'function_data.review',
      title: { zh: '待审定的职能数据清单', en: 'Function data lists to approve' },
      count: waiting.length,
      link: '/registry/functions',
    });
  }
  if (hasPermission(actor, 'registry.write')) {
    const returned = (await getFunctionReview(tx, actor.orgId))?.status === 'returned';
    tasks.push({
      kind: 'function_data.returned',
      title: { zh: '被退回的职能数据清单', en: 'Function data list returned' },
      count: returned ? 1 : 0,
      link: '/registry/functions',
    });
  }
  return tasks;
}
