export { ROLES, type Actor, type Role } from '../../server/platform/actor.js';

export const ORG_TYPES = [
  'authority',
  'department',
  'public_enterprise',
  'operator',
  'external',
] as const;
export type OrgType = (typeof ORG_TYPES)[number];
