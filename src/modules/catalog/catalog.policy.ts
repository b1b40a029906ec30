import { hasPermission } from '../../server/platform/access.js';
import type { Actor } from '../identity/index.js';
import type { ResourceStatus } from './catalog.types.js';

/**
 * Who sees and does what in the catalog.
 * - Published (and retired) entries are visible to every signed-in user.
 * - The working copy (drafts, entries under review, revisions) only to the provider body, the
 *   authority's reviewers, auditors and the platform admin; to anyone else it does not exist.
 * - The provider edits and submits; the authority approves or rejects; the platform admin publishes
 * and retires.
 */

/**
 * The rows an actor may load: `all` sees every working copy, otherwise own organisation plus live
 * entries.
 */
export interface CatalogScope {
  all: boolean;
  orgId: string;
}

export function catalogScope(actor: Actor): CatalogScope {
  return {
    all: actor.roles.some((r) => r === 'platform_admin' || r === 'reviewer' || r === 'auditor'),
    orgId: actor.orgId,
  };
}

/**
 * True when the actor sees the working copy of an entry of `providerOrgId`, not only its published
 * version.
 */
export function seesWorkingCopy(actor: Actor, providerOrgId: string): boolean {
  const scope = catalogScope(actor);
  return scope.all || scope.orgId === providerOrgId;
}

/** The provider's staff (or the platform admin) write the entry. */
export function mayEdit(actor: Actor, providerOrgId: string): boolean {
  return (
    hasPermission(actor, 'catalog.write') &&
    (actor.roles.includes('platform_admin') || actor.orgId === providerOrgId)
  );
}

/** The organisation a new entry may be written for. */
export function mayWriteFor(actor: Actor, orgId: string): boolean {
  return (
    actor.roles.includes('platform_admin') ||
    (hasPermission(actor, 'catalog.write') && actor.orgId === orgId)
  );
}

export type CatalogAction = 'edit' | 'submit' | 'approve' | 'reject' | 'publish' | 'retire';

/** Lifecycle transitions: the states each starts from, where it leads, and who may do it. */
export const TRANSITIONS: Record<
  Exclude<CatalogAction, 'edit'>,
  {
    from: ResourceStatus[];
    to: ResourceStatus;
    allowed: (actor: Actor, providerOrgId: string) => boolean;
    needsComment: boolean;
  }
> = {
  submit: { from: ['draft'], to: 'submitted', allowed: mayEdit, needsComment: false },
  approve: {
    from: ['submitted'],
    to: 'approved',
    allowed: (a) => hasPermission(a, 'catalog.review'),
    needsComment: false,
  },
  reject: {
    from: ['submitted', 'approved'],
    to: 'draft',
    allowed: (a) => hasPermission(a, 'catalog.review'),
    needsComment: true,
  },
  publish: {
    from: ['approved'],
    to: 'published',
    allowed: (a) => hasPermission(a, 'catalog.publish'),
    needsComment: false,
  },
  retire: {
    from: ['published'],
    to: 'retired',
    allowed: (a) => hasPermission(a, 'catalog.publish'),
    needsComment: true,
  },
};

/**
 * Statuses in which the provider may change the entry (a published entry becomes a draft revision).
 */
export const EDITABLE: ResourceStatus[] = ['draft', 'published'];

/** What the actor may do next with an entry, for the portal's buttons. */
export function availableActions(
  actor: Actor,
  status: ResourceStatus,
  providerOrgId: string,
): CatalogAction[] {
  const out: CatalogAction[] = [];
  if (EDITABLE.includes(status) && mayEdit(actor, providerOrgId)) out.push('edit');
  for (const [name, t] of Object.entries(TRANSITIONS)) {
    if (t.from.includes(status) && t.allowed(actor, providerOrgId)) out.push(name as CatalogAction);
  }
  return out;
}
