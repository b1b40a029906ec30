import type { ClientRow, OrgRow, UserRow } from './identity.repository.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function presentOrg(o: OrgRow) {
  return {
    id: o.id,
    name: o.name,
    code: o.code,
    type: o.type,
    parentId: o.parent_id,
    level: o.level,
    shortCode: o.short_code,
    createdAt: o.created_at.toISOString(),
  };
}

export function presentUser(u: UserRow) {
  return {
    id: u.id,
    orgId: u.org_id,
    orgName: u.org_name,
    username: u.username,
    displayName: u.display_name,
    email: u.email,
    phone: u.phone,
    roles: u.roles,
    enabled: u.enabled,
    locked: !!u.locked_until && u.locked_until > new Date(),
    lastLoginAt: iso(u.last_login_at),
    createdAt: u.created_at.toISOString(),
  };
}

export function presentClient(c: ClientRow) {
  const status = c.revoked_at
    ? 'revoked'
    : c.expires_at && c.expires_at <= new Date()
      ? 'expired'
      : 'active';
  return {
    id: c.id,
    orgId: c.org_id,
    orgName: c.org_name,
    name: c.name,
    roles: c.roles,
    keyPrefix: c.key_prefix,
    createdAt: c.created_at.toISOString(),
    expiresAt: iso(c.expires_at),
    revokedAt: iso(c.revoked_at),
    lastUsedAt: iso(c.last_used_at),
    status: status as 'active' | 'revoked' | 'expired',
  };
}
