import type { Tx } from '../../db/pool.js';
import type { Task } from '../workbench/index.js';
import { hasPermission } from '../../server/platform/access.js';
import { managementScope } from './identity.policy.js';
import type { Actor } from './identity.types.js';

/** Home-page tasks of identity: locked accounts to look at, API keys about to expire. */
export async function identityTasks(tx: Tx, actor: Actor): Promise<Task[]> {
  if (!hasPermission(actor, 'users.manage')) return [];
  const scope = managementScope(actor);
  const { rows } = await tx.query(
    `SELECT (SELECT count(*)::int FROM users WHERE locked_until > now() AND ($1::uuid IS NULL OR org_id = $1)) AS locked,
            (SELECT count(*)::int FROM api_clients WHERE revoked_at IS NULL AND expires_at BETWEEN now() AND now() + interval '14 days'
               AND ($1::uuid IS NULL OR org_id = $1)) AS expiring`,
    [scope],
  );
  return [
    {
      kind: 'users.locked',
      title: { zh: '账户因多次登录失败被锁定', en: 'Accounts locked after failed sign-ins' },
      count: rows[0].locked,
      link: '/admin/users',
    },
    {
      kind: 'clients.expiring',
      title: { zh: 'API 密钥将在 14 天内到期', en: 'API keys expiring within 14 days' },
      count: rows[0].expiring,
      link: '/admin/clients',
    },
  ];
}
