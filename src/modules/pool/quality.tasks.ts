import type { Tx } from '../../db/pool.js';
import type { Actor } from '../identity/index.js';
import type { Task } from '../workbench/index.js';
import { hasPermission } from '../../server/platform/access.js';
import { inspectionScope } from './pool.policy.js';
import { overdueResources } from '../quality/index.js';

/**
 * The home page's line for stale data: a provider sees its own resources whose data is older
 * than their declared update frequency `[001 §13]`, the platform's overseers see all of them.
 */
export async function qualityTasks(tx: Tx, actor: Actor): Promise<Task[]> {
  if (!hasPermission(actor, 'pool.inspect')) return [];
  const overdue = await overdueResources(tx, inspectionScope(actor));
  return [
    {
      kind: 'quality.overdue',
      title: {
        zh: '数据超过更新频率未更新的资源',
        en: 'Resources whose data is overdue for an update',
      },
      count: overdue.length,
      link: '/quality/overdue',
    },
  ];
}
