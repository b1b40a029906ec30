import type { WorkingDayCalendar } from '../../lib/working-days.js';
import type { ChannelRow, RequestRow, StepRow } from './sharing.repository.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Working days left until `due` (negative when overdue), null when there is no deadline. */
function daysLeft(cal: WorkingDayCalendar, today: string, due: string | null): number | null {
  return due ? cal.workingDaysBetween(today, due) : null;
}

export function presentRequest(
  r: RequestRow & { pending_reviewer?: string | null },
  steps?: StepRow[],
  cal?: WorkingDayCalendar,
  today?: string,
) {
  return {
    id: r.id,
    resource: { id: r.resource_id, name: r.resource_name, code: r.resource_code },
    provider: { id: r.provider_org_id, name: r.provider_name },
    requester: {
      orgId: r.requester_org_id,
      orgName: r.requester_org_name,
      userName: r.requester_name,
    },
    shareType: r.share_type,
    shareKind: r.share_kind,
    fields: r.fields,
    rowFilter: r.row_filter,
    purpose: r.purpose,
    scenario: r.scenario,
    legalBasis: r.legal_basis,
    until: r.until,
    delivery: r.delivery,
    status: r.status,
    answerDue: r.answer_due,
    deliverDue: r.deliver_due,
    overdue: r.overdue,
    agreementAccepted: !!r.agreement_accepted_at,
    channelId: r.channel_id,
    createdAt: r.created_at.toISOString(),
    pendingReviewer:
      r.pending_reviewer ?? steps?.find((s) => s.status === 'pending')?.reviewer ?? null,
    steps:
      steps && cal && today
        ? steps.map((s) => ({
            position: s.position,
            reviewer: s.reviewer,
            status: s.status,
            due: s.due,
            workingDaysLeft: s.status === 'pending' ? daysLeft(cal, today, s.due) : null,
            overdue: s.status === 'pending' && !!s.due && s.due < today,
            decidedBy: s.decided_by_name,
            decidedAt: iso(s.decided_at),
            basis: s.basis,
            comment: s.comment,
          }))
        : undefined,
  };
}

export function presentChannel(c: ChannelRow) {
  return {
    id: c.id,
    requestId: c.request_id,
    resource: { id: c.resource_id, name: c.resource_name },
    provider: { id: c.provider_org_id, name: c.provider_name },
    consumer: { id: c.consumer_org_id, name: c.consumer_name },
    fields: c.fields,
    rowFilter: c.row_filter,
    masking: c.masking,
    delivery: c.delivery,
    verifyOnly: c.verify_only,
    status: c.status,
    statusReason: c.status_reason,
    expiresAt: c.expires_at.toISOString(),
    lastUsedAt: iso(c.last_used_at),
    push: c.push_endpoint
      ? {
          endpoint: c.push_endpoint,
          schedule: c.push_schedule!,
          cursor: Number(c.push_cursor),
          nextAt: iso(c.next_push_at),
        }
      : null,
    createdAt: c.created_at.toISOString(),
  };
}
