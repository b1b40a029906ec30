import { hash, verify } from '@node-rs/argon2';
import type { Db, Tx } from '../../db/pool.js';
import { withTx } from '../../db/pool.js';
import { hashSecret, randomToken, safeEqual, type CryptoSuite } from '../../lib/crypto.js';
import { AppError, invalid } from '../../lib/errors.js';
import { cachePerDb } from '../../lib/ttl-cache.js';
import * as audit from '../audit/index.js';
import * as repo from './identity.repository.js';
import type { Actor } from './identity.types.js';

/** Argon2id with its recommended parameters (19 MiB, 2 passes). */
export const hashPassword = (password: string): Promise<string> =>
  hash(password, { algorithm: 2 /* Argon2id */ });

/** A password must mix letters and digits (its length is the schema's). */
export function checkPassword(password: string, field = 'password'): void {
  if (!/[A-Za-z]/.test(password) || !/\d/.test(password))
    throw invalid(field, 'letters_and_digits');
}

// Verified against when the username is unknown, so both paths take the same time.
const DUMMY_HASH = hashPassword('not-a-real-password-0');

export interface RequestContext {
  requestId: string;
  clientIp: string;
  userAgent: string | null;
}

/**
 * Signs a person in: checks lock-out, verifies the password, counts failures (five lock the
 * account for 15 minutes) and records the attempt in the audit ledger whatever its outcome.
 */
export async function login(
  db: Db,
  suite: CryptoSuite,
  maxHours: number,
  username: string,
  password: string,
  ctx: RequestContext,
) {
  const user = await withTx(db, (tx) => repo.getUserByUsername(tx, username));
  const record = (outcome: 'success' | 'failure', details: Record<string, unknown>) => ({
    actor: {
      kind: user ? 'user' : 'anonymous',
      id: user?.id ?? null,
      name: username,
      orgId: user?.org_id ?? null,
    } as audit.AuditActor,
    action: 'auth.login',
    targetType: 'user',
    targetId: user?.id ?? null,
    outcome,
    requestId: ctx.requestId,
    clientIp: ctx.clientIp,
    details,
  });
  const fail = async (
    code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'ACCOUNT_DISABLED',
    details: Record<string, unknown> = {},
  ) => {
    await audit.appendAlone(db, suite, [record('failure', { reason: code })]);
    return new AppError(code, details);
  };
  if (!user) {
    await verify(await DUMMY_HASH, password).catch(() => false);
    throw await fail('INVALID_CREDENTIALS');
  }
  if (user.locked_until && user.locked_until > new Date())
    throw await fail('ACCOUNT_LOCKED', { lockedUntil: user.locked_until.toISOString() });
  if (!(await verify(user.password_hash, password).catch(() => false))) {
    const after = await withTx(db, (tx) => repo.recordLoginFailure(tx, user.id));
    if (after.locked_until && after.locked_until > new Date()) {
      throw await fail('ACCOUNT_LOCKED', { lockedUntil: after.locked_until.toISOString() });
    }
    throw await fail('INVALID_CREDENTIALS', { attemptsLeft: Math.max(0, 5 - after.failed_logins) });
  }
  if (!user.enabled) throw await fail('ACCOUNT_DISABLED');
  const { token, expiresAt } = await withTx(db, async (tx) => {
    await repo.recordLoginSuccess(tx, user.id);
    const session = await newSession(tx, user.id, maxHours, ctx);
    await audit.append(tx, suite, [record('success', {})]);
    return session;
  });
  return { user, token, expiresAt };
}

/** A new session of `userId`, ending `maxHours` from now at the latest. */
async function newSession(tx: Tx, userId: string, maxHours: number, ctx: RequestContext) {
  const token = randomToken();
  const expiresAt = await repo.insertSession(tx, {
    token_hash: hashSecret(token),
    user_id: userId,
    max_hours: maxHours,
    client_ip: ctx.clientIp,
    user_agent: ctx.userAgent,
  });
  return { token, expiresAt };
}

/** Ends the session behind `token`. */
export async function logout(
  db: Db,
  suite: CryptoSuite,
  actor: Actor,
  token: string,
  ctx: RequestContext,
): Promise<void> {
  await withTx(db, async (tx) => {
    await repo.deleteSession(tx, hashSecret(token));
    await audit.append(tx, suite, [
      {
        actor: { kind: 'user', id: actor.id, name: actor.name, orgId: actor.orgId },
        action: 'auth.logout',
        targetType: 'user',
        targetId: actor.id,
        outcome: 'success',
        requestId: ctx.requestId,
        clientIp: ctx.clientIp,
      },
    ]);
  });
}

/**
 * The person behind a session cookie, or null when it is unknown, past its absolute end or unused
 * for `idleMinutes`. A use is recorded at most once a minute (sooner for a short idle timeout), so
 * a busy session does not make every request a write.
 */
export async function actorFromSession(
  db: Db,
  token: string,
  idleMinutes: number,
): Promise<Actor | null> {
  const tokenHash = hashSecret(token);
  const touchSeconds = Math.min(60, idleMinutes * 6);
  const row = await repo.findSessionUser(db, tokenHash, idleMinutes, touchSeconds);
  if (!row) return null;
  if (row.stale) await repo.touchSession(db, tokenHash);
  return {
    kind: 'user',
    id: row.id,
    name: row.username,
    displayName: row.display_name,
    orgId: row.org_id,
    orgName: row.org_name,
    roles: row.roles,
  };
}

/**
 * A person changes their own password, proving the current one. Every session of theirs ends, in
 * every instance, and the one they are using is replaced by a new one (a new token, as a sign-in
 * makes): they have just proved their password, so asking for it again gains nothing, and a copy
 * of the old cookie, wherever it went, stops working with the others. A wrong current password
 * counts as a failed sign-in, so a borrowed session cannot guess at it.
 */
export async function changeOwnPassword(
  db: Db,
  suite: CryptoSuite,
  maxHours: number,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  ctx: RequestContext,
) {
  if (actor.kind !== 'user') throw new AppError('FORBIDDEN', { rule: 'people_only' });
  checkPassword(input.newPassword, 'newPassword');
  const user = await withTx(db, (tx) => repo.getUser(tx, actor.id, null));
  if (!user) throw new AppError('UNAUTHENTICATED');
  const entry = (outcome: 'success' | 'failure', details?: Record<string, unknown>) => ({
    actor: { kind: 'user', id: actor.id, name: actor.name, orgId: actor.orgId } as const,
    action: 'auth.password_change',
    targetType: 'user',
    targetId: actor.id,
    outcome,
    requestId: ctx.requestId,
    clientIp: ctx.clientIp,
    details,
  });
  if (user.locked_until && user.locked_until > new Date())
    throw new AppError('ACCOUNT_LOCKED', { lockedUntil: user.locked_until.toISOString() });
  if (!(await verify(user.password_hash, input.currentPassword).catch(() => false))) {
    const after = await withTx(db, (tx) => repo.recordLoginFailure(tx, user.id));
    await audit.appendAlone(db, suite, [entry('failure', { reason: 'current_password' })]);
    if (after.locked_until && after.locked_until > new Date())
      throw new AppError('ACCOUNT_LOCKED', { lockedUntil: after.locked_until.toISOString() });
    throw new AppError('FORBIDDEN', { field: 'currentPassword', rule: 'matches' });
  }
  if (await verify(user.password_hash, input.newPassword).catch(() => false))
    throw invalid('newPassword', 'differs');
  const passwordHash = await hashPassword(input.newPassword);
  return withTx(db, async (tx) => {
    await repo.updateUser(tx, user.id, { password_hash: passwordHash, failed_logins: 0 });
    await repo.deleteUserSessions(tx, user.id);
    const session = await newSession(tx, user.id, maxHours, ctx);
    await audit.append(tx, suite, [entry('success')]);
    return session;
  });
}

/**
 * API keys look like `gsk_<prefix>_<secret>`; the prefix finds the client, the secret's hash proves
 * it.
 */
const KEY_PATTERN = /^gsk_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export function newApiKey(): { key: string; prefix: string; hash: Buffer } {
  const prefix = randomToken(12)
    .replace(/[^A-Za-z0-9]/g, '')
    .padEnd(12, '0')
    .slice(0, 12);
  const secret = randomToken(32);
  return { key: `gsk_${prefix}_${secret}`, prefix, hash: hashSecret(secret) };
}

/**
 * Machine clients read at high rates; their actor is remembered for 2 s. A revocation reaches other
 * instances with its announcement, or within that time if the announcement is lost.
 */
const keyCache = cachePerDb<Db, string, Actor & { expiresAt: number }>(2_000);

/**
 * Forgets a client's cached actor at once in this instance (after revocation); every client's
 * without an id.
 */
export function forgetApiClient(db: Db, clientId: string | undefined): void {
  if (clientId) keyCache(db).forget((actor) => actor.id === clientId);
  else keyCache(db).clear();
}

/** The machine client behind an API key, or null when the key is unknown, revoked or expired. */
export async function actorFromApiKey(db: Db, key: string): Promise<Actor | null> {
  const m = KEY_PATTERN.exec(key);
  if (!m) return null;
  const cached = keyCache(db).get(key);
  if (cached && cached.expiresAt > Date.now()) return cached;
  const client = await repo.findActiveClient(db, m[1]);
  if (!client || !safeEqual(client.key_hash, hashSecret(m[2]))) return null;
  // Last use is recorded at most once a minute, so machine reads do not each become a write.
  if (!client.last_used_at || Date.now() - client.last_used_at.getTime() > 60_000)
    await repo.touchClient(db, client.id);
  const actor: Actor = {
    kind: 'client',
    id: client.id,
    name: client.name,
    displayName: client.name,
    orgId: client.org_id,
    orgName: client.org_name,
    roles: client.roles,
  };
  keyCache(db).set(key, { ...actor, expiresAt: client.expires_at?.getTime() ?? Infinity });
  return actor;
}
