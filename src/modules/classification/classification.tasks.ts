import type { Tx } from '../../db/pool.js';
import type { Actor } from '../identity/index.js';
import type { Task } from '../workbench/index.js';
import { hasPermission } from '../../server/platform/access.js';
import { undecidedCounts } from './classification.repository.js';

/**
 * The home page's line for detected personal data its provider has not decided on yet: the
 * fields of its own pooled resources, linked to the resource when there is one, else to the pool.
 */
export async function classificationTasks(tx: Tx, actor: Actor): Promise<Task[]> {
  if (!hasPermission(actor, 'pool.load') || !actor.orgId) return [];
  const counts = await undecidedCounts(tx, { providerOrgId: actor.orgId });
  const [only] = counts.size === 1 ? counts.keys() : [];
  return [
    {
      kind: 'classification.proposed',
      title: {
        zh: '待确认的个人信息识别结果（字段）',
        en: 'Detected personal data awaiting your decision (fields)',
      },
      count: [...counts.values()].reduce((a, b) => a + b, 0),
      link: only ? `/pool/${only}` : '/pool',
    },
  ];
}
