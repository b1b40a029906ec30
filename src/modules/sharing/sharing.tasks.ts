import type { Tx } from '../../db/pool.js';
import type { Actor } from '../identity/index.js';
import type { Task } from '../workbench/index.js';
import { reviewerKinds } from './sharing.policy.js';

/**
 * Home-page tasks of sharing: requests waiting for my review, my approved requests awaiting the
 * agreement, overdue ones for the authority.
 */
export async function sharingTasks(tx: Tx, actor: Actor): Promise<Task[]> {
  const kinds = reviewerKinds(actor);
  const { rows } = await tx.query(
    `SELECT
       (SELECT count(*)::int FROM share_steps s JOIN share_requests r ON r.id = s.request_id
         WHERE s.status = 'pending' AND s.reviewer = ANY($1) AND (s.reviewer <> 'provider' OR r.provider_org_id = $2)) AS to_review,
       (SELECT count(*)::int FROM share_requests WHERE requester_org_id = $2 AND status = 'approved' AND agreement_accepted_at IS NULL) AS to_accept,
       (SELECT count(*)::int FROM share_requests WHERE overdue AND status = 'pending' AND $3) AS overdue`,
    [
      kinds,
      actor.orgId,
      actor.roles.includes('reviewer') || actor.roles.includes('platform_admin'),
    ],
  );
  const r = rows[0];
  return [
    {
      kind: 'share.review',
      title: { zh: '待我审核的共享申请', en: 'Share requests waiting for my review' },
      count: r.to_review,
      link: '/sharing/review',
    },
    {
      kind: 'share.agreement',
      title: {
        zh: '已批准、待签署数据使用协议的申请',
        en: 'Approved requests awaiting the data-use agreement',
      },
      count: r.to_accept,
      link: '/sharing/requests',
    },
    {
      kind: 'share.overdue',
      title: { zh: '超期未审核的共享申请', en: 'Share requests past their deadline' },
      count: r.overdue,
      link: '/sharing/review?overdue=1',
    },
  ];
}
