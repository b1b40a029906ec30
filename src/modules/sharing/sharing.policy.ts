import type { Actor } from '../identity/index.js';
import { seesWorkingCopy, type PoolResource } from '../catalog/index.js';
import type { Scope } from './sharing.repository.js';

const OVERSEERS = ['platform_admin', 'reviewer', 'auditor'] as const;

/**
 * Platform admins, authority reviewers and auditors see every request and channel; a body sees its
 * own and those for its data.
 */
export function viewScope(actor: Actor): Scope {
  return {
    all: actor.roles.some((r) => (OVERSEERS as readonly string[]).includes(r)),
    orgId: actor.orgId,
  };
}

/**
 * A channel is visible to the overseers, its consumer body and its provider body; to anyone else it
 * does not exist.
 */
export function mayViewChannel(
  actor: Actor,
  channel: { consumer_org_id: string; provider_org_id: string },
): boolean {
  return (
    viewScope(actor).all ||
    channel.consumer_org_id === actor.orgId ||
    channel.provider_org_id === actor.orgId
  );
}

/**
 * Whether the actor may know a catalog entry exists: a published (or retired) entry is shown to
 * everyone, another body's entry that was never published only to the catalog's overseers.
 */
export function seesResource(
  actor: Actor,
  resource: Pick<PoolResource, 'status' | 'providerOrgId'>,
): boolean {
  return (
    resource.status === 'published' ||
    resource.status === 'retired' ||
    seesWorkingCopy(actor, resource.providerOrgId)
  );
}

/** Names the recipients of a special-share entry: its provider's staff, or the platform admin. */
export function maySetRecipients(actor: Actor, providerOrgId: string): boolean {
  return actor.roles.includes('platform_admin') || providerOrgId === actor.orgId;
}

/** The review steps this actor can decide, by reviewer kind. */
export function reviewerKinds(actor: Actor): ('platform' | 'authority' | 'provider')[] {
  const kinds: ('platform' | 'authority' | 'provider')[] = [];
  if (actor.roles.includes('platform_admin')) kinds.push('platform');
  if (actor.roles.includes('reviewer')) kinds.push('authority');
  if (actor.roles.includes('officer') || actor.roles.includes('cdo')) kinds.push('provider');
  return kinds;
}

/**
 * May decide a pending step of `reviewer` kind on a request for data provided by `providerOrgId`.
 */
export function mayDecide(actor: Actor, reviewer: string, providerOrgId: string): boolean {
  const kinds = reviewerKinds(actor) as string[];
  return kinds.includes(reviewer) && (reviewer !== 'provider' || actor.orgId === providerOrgId);
}

/**
 * Suspending, resuming and revoking: the platform, the authority, or the providing body's data
 * staff.
 */
export function mayManageChannel(actor: Actor, providerOrgId: string): boolean {
  return (
    actor.roles.includes('platform_admin') ||
    actor.roles.includes('reviewer') ||
    ((actor.roles.includes('officer') || actor.roles.includes('cdo')) &&
      actor.orgId === providerOrgId)
  );
}
