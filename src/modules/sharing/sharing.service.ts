import crypto from 'node:crypto';
import type { Tx } from '../../db/pool.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { toDay, type WorkingDayCalendar } from '../../lib/working-days.js';
import { getPoolResource, type PoolResource } from '../catalog/index.js';
import type { Actor } from '../identity/index.js';
import { findShareType, type Profile, type RequestWorkflow } from '../profiles/index.js';
import { defaultRule } from './masking.js';
import * as repo from './sharing.repository.js';
import { mayDecide, mayManageChannel, mayViewChannel, viewScope } from './sharing.policy.js';
import type { ChannelAction, Decision, RequestCreate } from './sharing.schemas.js';

/**
 * What services need besides the transaction: the active profile, the calendar, and today in China.
 */
export interface SharingContext {
  profile: Profile;
  calendar: WorkingDayCalendar;
  today: string;
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function workflowFor(profile: Profile, kind: string): RequestWorkflow {
  const w = profile.workflow as Record<string, RequestWorkflow | undefined>;
  return w[kind] ?? profile.workflow.conditional;
}

function reviewersOf(workflow: RequestWorkflow): ('platform' | 'authority' | 'provider')[] {
  if (workflow.reviewer === 'none') return [];
  return typeof workflow.reviewer === 'string' ? [workflow.reviewer] : [...workflow.reviewer];
}

async function publishedResource(tx: Tx, id: string): Promise<PoolResource> {
  const resource = await getPoolResource(tx, id);
  if (resource?.status !== 'published') throw invalid('resourceId', 'published');
  return resource;
}

/** A request another body may not see answers exactly like a missing one. */
export async function visibleRequest(
  tx: Tx,
  actor: Actor,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<repo.RequestRow> {
  const req = await repo.getRequest(tx, id, opts);
  const scope = viewScope(actor);
  if (
    !req ||
    !(scope.all || req.requester_org_id === actor.orgId || req.provider_org_id === actor.orgId)
  )
    throw notFound();
  return req;
}

/**
 * A body asks for a published resource. The profile decides who reviews, in how many working
 * days; self-service types are approved at once. Not-shared data can only be asked to verify.
 */
export async function createRequest(
  tx: Tx,
  actor: Actor,
  input: RequestCreate,
  ctx: SharingContext,
): Promise<string> {
  const resource = await publishedResource(tx, input.resourceId);
  if (resource.providerOrgId === actor.orgId) throw invalid('resourceId', 'own_resource');
  const type = findShareType(ctx.profile, resource.shareType);
  const kind = type?.kind ?? 'conditional';
  if (kind === 'not-shared' && input.delivery !== 'verify')
    throw new AppError('SHARE_NOT_REQUESTABLE', {
      shareType: resource.shareType,
      allowed: 'verify',
    });
  if (type?.namedRecipients && !(await repo.isNamedRecipient(tx, resource.id, actor.orgId))) {
    throw new AppError('SHARE_NOT_REQUESTABLE', {
      shareType: resource.shareType,
      rule: 'named_recipients_only',
    });
  }
  const names = new Set(resource.fields.map((f) => f.name));
  const unknown = input.fields.find((f) => !names.has(f));
  if (unknown) throw invalid('fields', 'unknown_field', { value: unknown });
  for (const f of Object.keys(input.rowFilter ?? {}))
    if (!names.has(f)) throw invalid(`rowFilter.${f}`, 'unknown_field');
  if (
    input.delivery === 'verify' &&
    (!resource.identifierField || !input.fields.includes(resource.identifierField))
  ) {
    throw invalid('fields', 'identifier_required_to_verify', {
      identifier: resource.identifierField,
    });
  }
  if ((type?.needsReview || kind !== 'unconditional') && !input.legalBasis?.trim())
    throw invalid('legalBasis', 'required');
  if (input.until <= ctx.today) throw invalid('until', 'future');
  if (input.delivery === 'push') {
    if (!input.push) throw invalid('push', 'required');
    const url = new URL(input.push.endpoint);
    if (url.protocol !== 'https:' && !LOCAL_HOSTS.has(url.hostname))
      throw invalid('push.endpoint', 'https');
  }

  const workflow = workflowFor(ctx.profile, kind === 'not-shared' ? 'conditional' : kind);
  const reviewers = reviewersOf(workflow);
  const answerDue =
    workflow.answerDays != null
      ? ctx.calendar.addWorkingDays(ctx.today, workflow.answerDays)
      : null;
  const approved = reviewers.length === 0;
  const id = await repo.insertRequest(tx, {
    resource_id: resource.id,
    provider_org_id: resource.providerOrgId,
    requester_org_id: actor.orgId,
    requester_id: actor.id,
    requester_name: actor.displayName,
    share_type: resource.shareType,
    share_kind: kind,
    fields: input.fields,
    row_filter: input.rowFilter ?? null,
    purpose: input.purpose,
    scenario: input.scenario,
    legal_basis: input.legalBasis?.trim() || null,
    until: input.until,
    delivery: input.delivery,
    push_endpoint: input.push?.endpoint ?? null,
    push_schedule: input.push?.schedule ?? null,
    status: approved ? 'approved' : 'pending',
    answer_due: approved ? null : answerDue,
    deliver_due:
      approved && workflow.deliverDays != null
        ? ctx.calendar.addWorkingDays(ctx.today, workflow.deliverDays)
        : null,
  });
  await repo.insertSteps(
    tx,
    id,
    reviewers.map((reviewer, i) => ({
      reviewer,
      status: i === 0 ? 'pending' : 'waiting',
      due: answerDue,
    })),
  );
  if (approved) await repo.updateRequest(tx, id, { decided_at: new Date() });
  return id;
}

/**
 * The current reviewer approves or refuses; a refusal must cite its basis. The last approval may
 * open the channel.
 */
export async function decide(
  tx: Tx,
  actor: Actor,
  id: string,
  d: Decision,
  ctx: SharingContext,
): Promise<string> {
  const req = await visibleRequest(tx, actor, id, { lock: true });
  if (req.status !== 'pending')
    throw new AppError('CONFLICT', { field: 'status', rule: 'not_pending', status: req.status });
  const steps = await repo.listSteps(tx, id);
  const step = steps.find((s) => s.status === 'pending')!;
  if (!mayDecide(actor, step.reviewer, req.provider_org_id))
    throw new AppError('FORBIDDEN', { rule: 'not_reviewer', reviewer: step.reviewer });
  if (d.decision === 'refuse' && !d.basis?.trim()) throw invalid('basis', 'required_for_refusal');
  for (const f of [...Object.keys(d.masking ?? {}), ...Object.keys(d.rowFilter ?? {})]) {
    if (!req.fields.includes(f))
      throw invalid(
        d.masking && f in d.masking ? `masking.${f}` : `rowFilter.${f}`,
        'outside_request',
      );
  }
  await repo.decideStep(tx, step.id, {
    status: d.decision === 'approve' ? 'approved' : 'refused',
    by: actor.id,
    byName: actor.displayName,
    basis: d.basis?.trim() || null,
    comment: d.comment ?? null,
  });
  if (d.masking || d.rowFilter) {
    await repo.updateRequest(tx, id, {
      masking: d.masking ? JSON.stringify({ ...(req.masking ?? {}), ...d.masking }) : undefined,
      row_filter: d.rowFilter
        ? JSON.stringify({ ...(req.row_filter ?? {}), ...d.rowFilter })
        : undefined,
    });
  }
  if (d.decision === 'refuse') {
    await repo.skipWaitingSteps(tx, id);
    await repo.updateRequest(tx, id, { status: 'refused', decided_at: new Date() });
    return id;
  }
  const next = steps.find((s) => s.status === 'waiting');
  if (next) {
    await repo.startStep(tx, next.id);
    return id;
  }
  const workflow = workflowFor(
    ctx.profile,
    req.share_kind === 'not-shared' ? 'conditional' : req.share_kind,
  );
  await repo.updateRequest(tx, id, {
    status: 'approved',
    decided_at: new Date(),
    deliver_due:
      workflow.deliverDays != null
        ? ctx.calendar.addWorkingDays(ctx.today, workflow.deliverDays)
        : undefined,
  });
  await openChannelIfReady(tx, id);
  return id;
}

/**
 * The requesting body accepts the data-use agreement [001 §32]; the channel opens once the request
 * is approved too.
 */
export async function acceptAgreement(tx: Tx, actor: Actor, id: string): Promise<string> {
  const req = await visibleRequest(tx, actor, id, { lock: true });
  if (req.requester_org_id !== actor.orgId)
    throw new AppError('FORBIDDEN', { rule: 'requester_only' });
  if (req.status === 'refused' || req.status === 'withdrawn')
    throw new AppError('CONFLICT', { field: 'status', rule: 'closed', status: req.status });
  if (!req.agreement_accepted_at)
    await repo.updateRequest(tx, id, { agreement_accepted_at: new Date(), agreement_by: actor.id });
  await openChannelIfReady(tx, id);
  return id;
}

async function openChannelIfReady(tx: Tx, id: string): Promise<void> {
  const req = (await repo.getRequest(tx, id))!;
  if (req.status !== 'approved' || !req.agreement_accepted_at || req.channel_id) return;
  const resource = (await getPoolResource(tx, req.resource_id))!;
  const masking: Record<string, string> = {};
  for (const name of req.fields) {
    const field = resource.fields.find((f) => f.name === name);
    masking[name] = req.masking?.[name] ?? (field ? defaultRule(field) : 'none');
  }
  const channelId = await repo.insertChannel(tx, {
    request_id: req.id,
    resource_id: req.resource_id,
    provider_org_id: req.provider_org_id,
    consumer_org_id: req.requester_org_id,
    fields: req.fields,
    row_filter: req.row_filter,
    masking,
    delivery: req.delivery,
    verify_only: req.delivery === 'verify',
    salt: crypto.randomBytes(16).toString('hex'),
    push_endpoint: req.push_endpoint,
    push_schedule: req.push_schedule,
    expires_at: req.until,
    next_push_at: req.push_endpoint ? new Date() : null,
  });
  await repo.updateRequest(tx, id, { channel_id: channelId });
}

export async function visibleChannel(tx: Tx, actor: Actor, id: string): Promise<repo.ChannelRow> {
  const channel = await repo.getChannel(tx, id);
  if (!channel || !mayViewChannel(actor, channel)) throw notFound();
  return channel;
}

const TRANSITIONS: Record<
  'suspend' | 'resume' | 'revoke' | 'renew',
  { from: string[]; to: string }
> = {
  suspend: { from: ['active'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'active' },
  revoke: { from: ['active', 'suspended', 'frozen', 'expired'], to: 'revoked' },
  renew: { from: ['active', 'suspended', 'expired'], to: 'active' },
};

/**
 * Suspends, resumes, revokes or renews a channel. A frozen channel needs a new request [004 §17].
 */
export async function changeChannel(
  tx: Tx,
  actor: Actor,
  id: string,
  action: keyof typeof TRANSITIONS,
  input: ChannelAction,
  today: string,
) {
  const channel = await visibleChannel(tx, actor, id);
  if (!mayManageChannel(actor, channel.provider_org_id))
    throw new AppError('FORBIDDEN', { rule: 'channel_manager_only' });
  const t = TRANSITIONS[action];
  if (!t.from.includes(channel.status)) {
    throw new AppError('CONFLICT', {
      field: 'status',
      rule: channel.status === 'frozen' ? 'frozen_needs_new_request' : 'transition',
      status: channel.status,
      action,
    });
  }
  if (action === 'renew') {
    if (!input.until) throw invalid('until', 'required');
    if (input.until <= today) throw invalid('until', 'future');
  }
  await repo.setChannelStatus(
    tx,
    id,
    t.to,
    input.reason ?? null,
    action === 'renew' ? input.until : undefined,
  );
  return (await repo.getChannel(tx, id))!;
}

/** Today's date in China, as the calendar counts it. */
export const chinaToday = (): string => toDay(new Date());
