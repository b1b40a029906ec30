import { hash, verify } from '@node-rs/argon2';
import type { Db } from '../../db/pool.js';
import { withTx } from '../../db/pool.js';
import { hashSecret, randomToken, safeEqual, type CryptoSuite } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { cachePerDb } from '../../lib/ttl-cache.js';
import * as audit from '../audit/index.js';
import * as repo from './identity.repository.js';
import type { Actor } from './identity.types.js';

/** Argon2id with its recommended parameters (19 MiB, 2 passes). */
export const hashPassword = (password: string): Promise<string> =>
  hash(password, { algorithm: 2 /* Argon2id */ });
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
  ttlMinutes: number,
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
  const token = randomToken();
  const expiresAt = await withTx(db, async (tx) => {
    await repo.recordLoginSuccess(tx, user.id);
    const expires = await repo.insertSession(tx, {
      token_hash: hashSecret(token),
      user_id: user.id,
      ttl_minutes: ttlMinutes,
      client_ip: ctx.clientIp,
      user_agent: ctx.userAgent,
    });
    await audit.append(tx, suite, [record('success', {})]);
    return expires;
  });
  return { user, token, expiresAt };
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
 * The person behind a session cookie, or null when it is unknown or expired; a session in its
 * second half is renewed.
 */
export async function actorFromSession(
  db: Db,
  token: string,
  ttlMinutes: number,
): Promise<Actor | null> {
  const tokenHash = hashSecret(token);
  // One round trip on the hot path; the renewal write happens at most once per half lifetime.
  const row = await repo.findSessionUser(db, tokenHash);
  if (row && row.expires_at.getTime() - Date.now() < (ttlMinutes * 60_000) / 2)
    await repo.extendSession(db, tokenHash, ttlMinutes);
  if (!row) return null;
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
