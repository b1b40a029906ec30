import type { Tx } from '../../db/pool.js';
import { isValidUscc } from '../../lib/check-digits.js';
import { generatePassword } from '../../lib/crypto.js';
import { AppError, invalid, notFound } from '../../lib/errors.js';
import { checkPassword, hashPassword, newApiKey } from './auth.service.js';
import * as repo from './identity.repository.js';
import {
  grantableClientRoles,
  grantableRoles,
  managementScope,
  mayManageOrg,
} from './identity.policy.js';
import type {
  ClientCreate,
  OrgCreate,
  OrgPatch,
  PasswordReset,
  UserCreate,
  UserPatch,
  UserQuery,
  ClientQuery,
} from './identity.schemas.js';
import type { Actor, Role } from './identity.types.js';

const offset = (q: { page?: number; pageSize?: number }) => ({
  limit: q.pageSize ?? 20,
  offset: ((q.page ?? 1) - 1) * (q.pageSize ?? 20),
});

function checkRoles(actor: Actor, roles: Role[]): void {
  const allowed = grantableRoles(actor);
  const bad = roles.find((r) => !allowed.includes(r));
  if (bad) throw new AppError('FORBIDDEN', { field: 'roles', rule: 'grantable', role: bad });
}

// organisations

export async function createOrg(tx: Tx, input: OrgCreate) {
  if (!isValidUscc(input.code)) throw invalid('code', 'uscc_check_digit');
  if (input.parentId && !(await repo.getOrg(tx, input.parentId)))
    throw invalid('parentId', 'exists');
  return repo.insertOrg(tx, {
    name: input.name,
    code: input.code,
    type: input.type,
    parent_id: input.parentId ?? null,
    level: input.level ?? null,
    short_code: input.shortCode ?? null,
  });
}

export async function updateOrg(tx: Tx, id: string, patch: OrgPatch) {
  if (!(await repo.getOrg(tx, id))) throw notFound();
  if (patch.code !== undefined && !isValidUscc(patch.code))
    throw invalid('code', 'uscc_check_digit');
  if (patch.parentId) {
    if (!(await repo.getOrg(tx, patch.parentId))) throw invalid('parentId', 'exists');
    if (await repo.isAncestor(tx, id, patch.parentId)) throw invalid('parentId', 'no_cycle');
  }
  return (await repo.updateOrg(tx, id, {
    name: patch.name,
    code: patch.code,
    type: patch.type,
    parent_id: patch.parentId,
    level: patch.level,
    short_code: patch.shortCode,
  }))!;
}

export async function getOrg(tx: Tx, id: string) {
  const org = await repo.getOrg(tx, id);
  if (!org) throw notFound();
  return org;
}

export const listOrgs = (tx: Tx) => repo.listOrgs(tx);

// users

export async function createUser(tx: Tx, actor: Actor, input: UserCreate) {
  // Another body's organisation id is answered as if it did not exist.
  if (!mayManageOrg(actor, input.orgId) || !(await repo.getOrg(tx, input.orgId)))
    throw invalid('orgId', 'exists');
  checkRoles(actor, input.roles);
  checkPassword(input.password);
  const id = await repo.insertUser(tx, {
    org_id: input.orgId,
    username: input.username,
    display_name: input.displayName,
    email: input.email ?? null,
    phone: input.phone ?? null,
    roles: input.roles,
    password_hash: await hashPassword(input.password),
  });
  return (await repo.getUser(tx, id, null))!;
}

export async function getUser(tx: Tx, actor: Actor, id: string) {
  const user = await repo.getUser(tx, id, managementScope(actor));
  if (!user) throw notFound();
  return user;
}

export function listUsers(tx: Tx, actor: Actor, q: UserQuery) {
  return repo.listUsers(tx, {
    orgScope: managementScope(actor),
    org: q.org,
    q: q.q,
    role: q.role,
    ...offset(q),
  });
}

export async function updateUser(tx: Tx, actor: Actor, id: string, patch: UserPatch) {
  const user = await getUser(tx, actor, id);
  if (patch.roles) {
    // Neither grant nor take away a role the actor could not grant.
    const changed = [
      ...patch.roles.filter((r) => !user.roles.includes(r)),
      ...user.roles.filter((r) => !patch.roles!.includes(r)),
    ];
    checkRoles(actor, changed);
  }
  if (
    user.id === actor.id &&
    (patch.enabled === false || (patch.roles && !patch.roles.every((r) => user.roles.includes(r))))
  ) {
    throw new AppError('FORBIDDEN', {
      field: patch.enabled === false ? 'enabled' : 'roles',
      rule: 'not_self',
    });
  }
  await repo.updateUser(tx, id, {
    display_name: patch.displayName,
    email: patch.email,
    phone: patch.phone,
    roles: patch.roles,
    enabled: patch.enabled,
  });
  // A person disabled or given other roles signs in again (in every instance: sessions are looked
  // up in the database on each request), so no session outlives the grant it was opened under.
  const rolesChanged =
    patch.roles !== undefined &&
    (patch.roles.length !== user.roles.length || !patch.roles.every((r) => user.roles.includes(r)));
  if (patch.enabled === false || rolesChanged) await repo.deleteUserSessions(tx, id);
  return (await repo.getUser(tx, id, null))!;
}

/**
 * Sets a new password (generated when none is given), clears lock-out and ends the user's sessions.
 */
export async function resetPassword(tx: Tx, actor: Actor, id: string, input: PasswordReset) {
  await getUser(tx, actor, id);
  const password = input.password ?? generatePassword();
  checkPassword(password);
  await repo.updateUser(tx, id, {
    password_hash: await hashPassword(password),
    failed_logins: 0,
    locked_until: null,
  });
  await repo.deleteUserSessions(tx, id);
  return { id, password: input.password ? undefined : password };
}

// API clients

export async function createClient(tx: Tx, actor: Actor, orgId: string, input: ClientCreate) {
  if (!mayManageOrg(actor, orgId) || !(await repo.getOrg(tx, orgId))) throw notFound();
  const allowed = grantableClientRoles(actor);
  const roles = input.roles ?? allowed.filter((r) => r === 'officer' || r === 'consumer');
  const bad = roles.find((r) => !allowed.includes(r));
  if (bad) throw new AppError('FORBIDDEN', { field: 'roles', rule: 'grantable', role: bad });
  if (input.expiresAt && new Date(input.expiresAt) <= new Date())
    throw invalid('expiresAt', 'future');
  const key = newApiKey();
  const id = await repo.insertClient(tx, {
    org_id: orgId,
    name: input.name,
    roles,
    key_prefix: key.prefix,
    key_hash: key.hash,
    created_by: actor.kind === 'user' ? actor.id : null,
    expires_at: input.expiresAt ?? null,
  });
  return { id, key: key.key, client: (await repo.getClient(tx, id, null))! };
}

export function listClients(tx: Tx, actor: Actor, q: ClientQuery) {
  return repo.listClients(
    tx,
    managementScope(actor),
    q.org ?? null,
    offset(q).limit,
    offset(q).offset,
  );
}

export async function revokeClient(tx: Tx, actor: Actor, id: string) {
  const client = await repo.getClient(tx, id, managementScope(actor));
  if (!client) throw notFound();
  await repo.revokeClient(tx, id);
  return (await repo.getClient(tx, id, null))!;
}

/**
 * On a platform with no users, creates the authority and its admin; returns the one-time password.
 */
export async function bootstrapAdmin(
  tx: Tx,
  orgName: string,
  orgCode: string,
): Promise<string | null> {
  if ((await repo.countUsers(tx)) > 0) return null;
  const org = await repo.insertOrg(tx, {
    name: orgName,
    code: orgCode,
    type: 'authority',
    parent_id: null,
    level: null,
    short_code: 'admin',
  });
  const password = generatePassword();
  await repo.insertUser(tx, {
    org_id: org.id,
    username: 'admin',
    display_name: '平台管理员',
    email: null,
    phone: null,
    roles: ['platform_admin'],
    password_hash: await hashPassword(password),
  });
  return password;
}
