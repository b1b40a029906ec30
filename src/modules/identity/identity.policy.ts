import type { Actor, Role } from './identity.types.js';
import { ROLES } from './identity.types.js';

/** Roles a body's own officers may hand out; the rest only the platform admin grants. */
const ORG_GRANTABLE: readonly Role[] = ['officer', 'cdo', 'consumer'];
/** Roles a machine client may act with. */
const CLIENT_ROLES: readonly Role[] = ['officer', 'consumer', 'operator', 'auditor'];

const isPlatformAdmin = (actor: Actor): boolean => actor.roles.includes('platform_admin');

/**
 * The organisation an actor's user and client management is confined to:
 * `null` (every organisation) for the platform admin, otherwise their own.
 */
export function managementScope(actor: Actor): string | null {
  return isPlatformAdmin(actor) ? null : actor.orgId;
}

/** True when the actor may manage users and clients of `orgId`. */
export function mayManageOrg(actor: Actor, orgId: string): boolean {
  const scope = managementScope(actor);
  return scope === null || scope === orgId;
}

/** The roles this actor may grant to a user. */
export function grantableRoles(actor: Actor): readonly Role[] {
  return isPlatformAdmin(actor) ? ROLES : ORG_GRANTABLE;
}

/** Client roles this actor may grant: those of CLIENT_ROLES they could give a person. */
export function grantableClientRoles(actor: Actor): Role[] {
  const mine = grantableRoles(actor);
  return CLIENT_ROLES.filter((r) => mine.includes(r));
}
