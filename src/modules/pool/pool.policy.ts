import type { Actor } from '../identity/index.js';
import type { PoolEntry } from './pool.types.js';

const isPlatformAdmin = (actor: Actor) => actor.roles.includes('platform_admin');

/** Only the providing organisation (or the platform admin) loads data into a resource's pool. */
export function mayLoad(actor: Actor, entry: Pick<PoolEntry, 'providerOrgId'>): boolean {
  return isPlatformAdmin(actor) || actor.orgId === entry.providerOrgId;
}

/**
 * Batches, rejected rows, quality and the internal change history: the provider and the authority's
 * overseers.
 */
export function mayInspect(actor: Actor, entry: Pick<PoolEntry, 'providerOrgId'>): boolean {
  return mayLoad(actor, entry) || actor.roles.some((r) => r === 'auditor' || r === 'reviewer');
}

/** The provider whose resources an actor may list (null: all). */
export function inspectionScope(actor: Actor): string | null {
  return isPlatformAdmin(actor) || actor.roles.some((r) => r === 'auditor' || r === 'reviewer')
    ? null
    : actor.orgId;
}
