/** Shapes of the gongshu HTTP API as the portal uses them (see /api/openapi.json). */

export const ROLES = [
  'platform_admin',
  'reviewer',
  'officer',
  'cdo',
  'consumer',
  'auditor',
  'operator',
] as const;
export type Role = (typeof ROLES)[number];

export const ORG_TYPES = [
  'authority',
  'department',
  'public_enterprise',
  'operator',
  'external',
] as const;
type OrgType = (typeof ORG_TYPES)[number];

export type Permission =
  | 'orgs.manage'
  | 'users.manage'
  | 'clients.manage'
  | 'audit.read'
  | 'calendar.manage'
  | 'pool.load'
  | 'pool.inspect'
  | 'quality.overview'
  | 'catalog.write'
  | 'catalog.review'
  | 'catalog.publish'
  | 'registry.write'
  | 'share.request'
  | 'share.review'
  | 'share.read'
  | 'share.view'
  | 'share.manage'
  | 'share.oversight';

export interface Me {
  user: {
    id: string;
    username: string;
    displayName: string;
    roles: Role[];
    kind: 'user' | 'client';
  };
  organisation: { id: string; name: string };
  permissions: Permission[];
  deployment: { name: string; profile: string };
}

export interface Paged<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

export interface Organisation {
  id: string;
  name: string;
  code: string;
  type: OrgType;
  parentId: string | null;
  level: string | null;
  shortCode: string | null;
  createdAt: string;
}
export type OrgInput = Omit<Organisation, 'id' | 'createdAt'>;

export interface User {
  id: string;
  orgId: string;
  orgName: string;
  username: string;
  displayName: string;
  email: string | null;
  phone: string | null;
  roles: Role[];
  enabled: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}
export interface UserCreate {
  orgId: string;
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  email?: string;
  phone?: string;
}
export type UserPatch = Partial<
  Pick<User, 'displayName' | 'email' | 'phone' | 'roles' | 'enabled'>
>;

export interface ApiClient {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  roles: Role[];
  keyPrefix: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  status: 'active' | 'revoked' | 'expired';
}

export interface AuditEntry {
  seq: number;
  at: string;
  actorId: string | null;
  actorName: string | null;
  actorKind: string | null;
  orgId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  requestId: string | null;
  clientIp: string | null;
  details: unknown;
  hash: string;
}
export interface AuditVerify {
  ok: boolean;
  entries: number;
  firstBadEntry?: { seq: number; reason: string; at?: string; action?: string };
}
export interface ActivityPoint {
  day: string;
  outcome: string;
  n: number;
}
export interface WorkbenchTask {
  kind: string;
  title: { zh: string; en: string };
  count: number;
  link: string;
}
