import type { Actor } from '../identity/index.js';
import { hasPermission } from '../../server/platform/access.js';

/**
 * Registration belongs to the body: its staff see and write their own organisation's systems,
 * tables, data sets and function data list; the platform admin, reviewers and auditors see every
 * body's (the data center checks registrations [004 §8]); only the admin writes for another body.
 */
export function readScope(actor: Actor): string | null {
  return actor.roles.some((r) => r === 'platform_admin' || r === 'reviewer' || r === 'auditor')
    ? null
    : actor.orgId;
}

function writeScope(actor: Actor): string | null {
  return actor.roles.includes('platform_admin') ? null : actor.orgId;
}

export function mayWrite(actor: Actor, orgId: string): boolean {
  const scope = writeScope(actor);
  return hasPermission(actor, 'registry.write') && (scope === null || scope === orgId);
}
