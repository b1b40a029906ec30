import type { Db, Tx } from '../../db/pool.js';
import { announce } from '../../db/notices.js';
import type { OrgType, Role } from './identity.types.js';

export interface OrgRow {
  id: string;
  name: string;
  code: string;
  type: OrgType;
  parent_id: string | null;
  level: string | null;
  short_code: string | null;
  created_at: Date;
  updated_at: Date;
}
export interface UserRow {
  id: string;
  org_id: string;
  org_name: string;
  username: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  roles: Role[];
  password_hash: string;
  enabled: boolean;
  failed_logins: number;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Date;
  updated_at: Date;
}
export interface ClientRow {
  id: string;
  org_id: string;
  org_name: string;
  name: string;
  roles: Role[];
  key_prefix: string;
  key_hash: Buffer;
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

const USER = `u.*, o.name AS org_name FROM users u JOIN organisations o ON o.id = u.org_id`;
const CLIENT = `c.*, o.name AS org_name FROM api_clients c JOIN organisations o ON o.id = c.org_id`;

/**
 * Builds `SET a = $n, …` from the defined entries of `patch` (column names come from our code,
 * never the client).
 */
function setClause(
  patch: Record<string, unknown>,
  start: number,
): { sql: string; values: unknown[] } {
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
  return {
    sql: entries
      .map(([k], i) => `${k} = $${start + i}`)
      .concat('updated_at = now()')
      .join(', '),
    values: entries.map(([, v]) => v),
  };
}

// organisations
export async function insertOrg(
  tx: Tx,
  o: Pick<OrgRow, 'name' | 'code' | 'type' | 'parent_id' | 'level' | 'short_code'>,
): Promise<OrgRow> {
  const { rows } = await tx.query(
    `INSERT INTO organisations (name, code, type, parent_id, level, short_code) VALUES ($1,$2,$3,$4,$5,$6) RETURNING *`,
    [o.name, o.code, o.type, o.parent_id, o.level, o.short_code],
  );
  return rows[0];
}
export async function updateOrg(
  tx: Tx,
  id: string,
  patch: Partial<OrgRow>,
): Promise<OrgRow | undefined> {
  const s = setClause(patch, 2);
  const { rows } = await tx.query(`UPDATE organisations SET ${s.sql} WHERE id = $1 RETURNING *`, [
    id,
    ...s.values,
  ]);
  return rows[0];
}
export async function getOrg(tx: Tx, id: string): Promise<OrgRow | undefined> {
  const { rows } = await tx.query('SELECT * FROM organisations WHERE id = $1', [id]);
  return rows[0];
}
export async function listOrgs(tx: Tx): Promise<OrgRow[]> {
  const { rows } = await tx.query(
    'SELECT * FROM organisations ORDER BY parent_id NULLS FIRST, type, name',
  );
  return rows;
}
/** True when `ancestorId` is `id` itself or above it in the tree. */
export async function isAncestor(tx: Tx, ancestorId: string, id: string): Promise<boolean> {
  const { rows } = await tx.query(
    `WITH RECURSIVE up AS (SELECT id, parent_id FROM organisations WHERE id = $2
       UNION ALL SELECT o.id, o.parent_id FROM organisations o JOIN up ON o.id = up.parent_id)
     SELECT 1 FROM up WHERE id = $1`,
    [ancestorId, id],
  );
  return rows.length > 0;
}

// users
export async function insertUser(
  tx: Tx,
  u: {
    org_id: string;
    username: string;
    display_name: string;
    email: string | null;
    phone: string | null;
    roles: Role[];
    password_hash: string;
  },
): Promise<string> {
  const { rows } = await tx.query(
    `INSERT INTO users (org_id, username, display_name, email, phone, roles, password_hash) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [u.org_id, u.username, u.display_name, u.email, u.phone, u.roles, u.password_hash],
  );
  return rows[0].id;
}
export async function updateUser(
  tx: Tx,
  id: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const s = setClause(patch, 2);
  await tx.query(`UPDATE users SET ${s.sql} WHERE id = $1`, [id, ...s.values]);
}
/** A user by id, within the organisation scope (null scope = every organisation). */
export async function getUser(
  tx: Tx,
  id: string,
  orgScope: string | null,
): Promise<UserRow | undefined> {
  const { rows } = await tx.query(
    `SELECT ${USER} WHERE u.id = $1 AND ($2::uuid IS NULL OR u.org_id = $2)`,
    [id, orgScope],
  );
  return rows[0];
}
export async function getUserByUsername(tx: Tx, username: string): Promise<UserRow | undefined> {
  const { rows } = await tx.query(`SELECT ${USER} WHERE u.username = $1`, [username]);
  return rows[0];
}
export async function listUsers(
  tx: Tx,
  f: {
    orgScope: string | null;
    org?: string;
    q?: string;
    role?: string;
    limit: number;
    offset: number;
  },
): Promise<{ rows: UserRow[]; total: number }> {
  const params = [
    f.orgScope,
    f.org ?? null,
    f.q ? `%${f.q.replace(/[\\%_]/g, '\\$&')}%` : null,
    f.role ?? null,
  ];
  const where = `WHERE ($1::uuid IS NULL OR u.org_id = $1) AND ($2::uuid IS NULL OR u.org_id = $2)
    AND ($3::text IS NULL OR u.username ILIKE $3 OR u.display_name ILIKE $3) AND ($4::text IS NULL OR $4 = ANY(u.roles))`;
  const [page, count] = await Promise.all([
    tx.query(`SELECT ${USER} ${where} ORDER BY o.name, u.username LIMIT $5 OFFSET $6`, [
      ...params,
      f.limit,
      f.offset,
    ]),
    tx.query(`SELECT count(*)::int AS n FROM users u ${where}`, params),
  ]);
  return { rows: page.rows, total: count.rows[0].n };
}
/** Counts a failed sign-in; the fifth in a row locks the account for 15 minutes. */
export async function recordLoginFailure(
  tx: Tx,
  id: string,
): Promise<{ failed_logins: number; locked_until: Date | null }> {
  const { rows } = await tx.query(
    `UPDATE users SET failed_logins = failed_logins + 1,
       locked_until = CASE WHEN failed_logins + 1 >= 5 THEN now() + interval '15 minutes' ELSE locked_until END
     WHERE id = $1 RETURNING failed_logins, locked_until`,
    [id],
  );
  return rows[0];
}
export async function recordLoginSuccess(tx: Tx, id: string): Promise<void> {
  await tx.query(
    'UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = now() WHERE id = $1',
    [id],
  );
}
export async function countUsers(tx: Tx): Promise<number> {
  const { rows } = await tx.query('SELECT count(*)::int AS n FROM users');
  return rows[0].n;
}

// sessions
export async function insertSession(
  tx: Tx,
  s: {
    token_hash: Buffer;
    user_id: string;
    max_hours: number;
    client_ip: string;
    user_agent: string | null;
  },
): Promise<Date> {
  const { rows } = await tx.query(
    `INSERT INTO sessions (token_hash, user_id, expires_at, client_ip, user_agent)
     VALUES ($1, $2, now() + make_interval(hours => $3), $4, $5) RETURNING expires_at`,
    [s.token_hash, s.user_id, s.max_hours, s.client_ip, s.user_agent],
  );
  return rows[0].expires_at;
}
/**
 * The live session's user: the session exists, is before its absolute end, was used within the
 * last `idleMinutes`, and the user is enabled. `stale` says its last use is older than
 * `touchSeconds` (time to record this one).
 */
export async function findSessionUser(
  tx: Tx | Db,
  tokenHash: Buffer,
  idleMinutes: number,
  touchSeconds: number,
): Promise<(UserRow & { stale: boolean }) | undefined> {
  const { rows } = await tx.query(
    `SELECT s.last_seen_at < now() - make_interval(secs => $3) AS stale, ${USER}
     JOIN sessions s ON s.user_id = u.id
     WHERE s.token_hash = $1 AND s.expires_at > now()
       AND s.last_seen_at > now() - make_interval(mins => $2) AND u.enabled`,
    [tokenHash, idleMinutes, touchSeconds],
  );
  return rows[0];
}
/** Records a use of the session; its absolute end stays where sign-in put it. */
export async function touchSession(tx: Tx | Db, tokenHash: Buffer): Promise<void> {
  await tx.query('UPDATE sessions SET last_seen_at = now() WHERE token_hash = $1', [tokenHash]);
}
export async function deleteSession(tx: Tx, tokenHash: Buffer): Promise<void> {
  await tx.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
}
export async function deleteUserSessions(tx: Tx, userId: string): Promise<void> {
  await tx.query('DELETE FROM sessions WHERE user_id = $1', [userId]);
}

// API clients
export async function insertClient(
  tx: Tx,
  c: {
    org_id: string;
    name: string;
    roles: Role[];
    key_prefix: string;
    key_hash: Buffer;
    created_by: string | null;
    expires_at: string | null;
  },
): Promise<string> {
  const { rows } = await tx.query(
    `INSERT INTO api_clients (org_id, name, roles, key_prefix, key_hash, created_by, expires_at) VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`,
    [c.org_id, c.name, c.roles, c.key_prefix, c.key_hash, c.created_by, c.expires_at],
  );
  return rows[0].id;
}
export async function getClient(
  tx: Tx,
  id: string,
  orgScope: string | null,
): Promise<ClientRow | undefined> {
  const { rows } = await tx.query(
    `SELECT ${CLIENT} WHERE c.id = $1 AND ($2::uuid IS NULL OR c.org_id = $2)`,
    [id, orgScope],
  );
  return rows[0];
}
/** A usable client by its key prefix: not revoked, not expired. */
export async function findActiveClient(
  tx: Tx | Db,
  prefix: string,
): Promise<ClientRow | undefined> {
  const { rows } = await tx.query(
    `SELECT ${CLIENT} WHERE c.key_prefix = $1 AND c.revoked_at IS NULL AND (c.expires_at IS NULL OR c.expires_at > now())`,
    [prefix],
  );
  return rows[0];
}
export async function listClients(
  tx: Tx,
  orgScope: string | null,
  org: string | null,
  limit: number,
  offset: number,
): Promise<{ rows: ClientRow[]; total: number }> {
  const where = 'WHERE ($1::uuid IS NULL OR c.org_id = $1) AND ($2::uuid IS NULL OR c.org_id = $2)';
  const [page, count] = await Promise.all([
    tx.query(
      `SELECT ${CLIENT} ${where} ORDER BY c.revoked_at NULLS FIRST, c.created_at DESC LIMIT $3 OFFSET $4`,
      [orgScope, org, limit, offset],
    ),
    tx.query(`SELECT count(*)::int AS n FROM api_clients c ${where}`, [orgScope, org]),
  ]);
  return { rows: page.rows, total: count.rows[0].n };
}
/** Revokes a client; every instance forgets its key when the transaction commits. */
export async function revokeClient(tx: Tx, id: string): Promise<void> {
  await tx.query('UPDATE api_clients SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1', [
    id,
  ]);
  await announce(tx, 'gongshu_api_client', id);
}
/** Records use at most once a minute per client, so reads do not turn into writes. */
export async function touchClient(tx: Tx | Db, id: string): Promise<void> {
  await tx.query(
    `UPDATE api_clients SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}
