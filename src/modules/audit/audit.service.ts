import type { Db, Tx } from '../../db/pool.js';
import { withTx } from '../../db/pool.js';
import { digest, digestName, type CryptoSuite } from '../../lib/crypto.js';
import { chainedJson, type ChainedFields } from './audit.canonical.js';
import * as repo from './audit.repository.js';
import type { AuditEntry } from '../../server/platform/audit.js';

export type { AuditActor, AuditEntry } from '../../server/platform/audit.js';

/** A stored entry's fields as its hash covers them. */
function chained(row: repo.LedgerRow): ChainedFields {
  return {
    seq: Number(row.seq),
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorKind: row.actor_kind,
    orgId: row.org_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    outcome: row.outcome,
    requestId: row.request_id,
    clientIp: row.client_ip,
    details: row.details ?? {},
    algorithm: row.algorithm,
    prevHash: row.prev_hash,
  };
}

/** The hash of one entry: digest(canonical JSON of every recorded field and the previous hash). */
export function entryHash(fields: ChainedFields): string {
  const suite: CryptoSuite = fields.algorithm === 'sm3' ? 'gm' : 'standard';
  return digest(suite, chainedJson(fields));
}

/**
 * Appends entries to the ledger inside `tx`, after the work they record. The chain's tip stays
 * locked until `tx` commits, so concurrent appends (from any process) serialise into one chain and
 * an entry exists exactly when the change it records does.
 */
export async function append(tx: Tx, suite: CryptoSuite, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const { json, last } = chainRows(await repo.lockHead(tx), suite, entries);
  await repo.insertEntries(tx, json);
  await repo.moveHead(tx, last.seq, last.hash);
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * `entries` numbered and hashed onward from `head`, as the JSON array the repository inserts: each
 * element is the entry's chained fields exactly as hashed, plus its hash.
 */
function chainRows(
  head: ChainHead,
  suite: CryptoSuite,
  entries: AuditEntry[],
): { json: string; last: ChainHead } {
  let seq = Number(head.seq);
  let hash = head.hash;
  const at = new Date().toISOString();
  const algorithm = digestName(suite);
  let json = '';
  for (const e of entries) {
    seq += 1;
    const chained = chainedJson({
      seq,
      at,
      actorId: e.actor.id,
      actorName: e.actor.name,
      actorKind: e.actor.kind,
      orgId: e.actor.orgId,
      action: e.action,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      outcome: e.outcome,
      requestId: e.requestId ?? null,
      clientIp: e.clientIp ?? null,
      details: e.details ?? {},
      algorithm,
      prevHash: hash,
    });
    hash = digest(suite, chained);
    json += `${json ? ',' : '['}${chained.slice(0, -1)},"hash":"${hash}"}`;
  }
  return { json: `${json}]`, last: { seq, hash } };
}

/**
 * Appends `entries` after `head` in one statement, without a transaction of its own: the chain's
 * tip moves only if it is still `head` (compare-and-set), and the rows go in with it or not at all.
 * Returns the new head, or null when another writer moved the tip first (read it and try again).
 */
export async function appendAt(
  db: Db,
  suite: CryptoSuite,
  head: ChainHead,
  entries: AuditEntry[],
): Promise<ChainHead | null> {
  const { json, last } = chainRows(head, suite, entries);
  const written = await repo.insertEntriesIfHead(db, head, last, json);
  return written === entries.length ? last : null;
}

/**
 * Appends in a transaction of its own (sign-in failures, refusals: events with no change to join).
 */
export function appendAlone(db: Db, suite: CryptoSuite, entries: AuditEntry[]): Promise<void> {
  return withTx(db, (tx) => append(tx, suite, entries));
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  firstBadEntry?: {
    seq: number;
    reason: 'hash_mismatch' | 'broken_link' | 'gap' | 'head_mismatch';
    at?: string;
    action?: string;
  };
}

/** Recomputes the whole chain and names the first entry that no longer matches. */
export async function verify(db: Db): Promise<VerifyResult> {
  return withTx(db, async (tx) => {
    await tx.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
    let prevHash = '0'.repeat(64);
    let expectSeq = 1;
    let entries = 0;
    for (;;) {
      const rows = await repo.readChain(tx, expectSeq - 1, 5000);
      for (const row of rows) {
        const seq = Number(row.seq);
        const where = { seq, at: row.at.toISOString(), action: row.action };
        if (seq !== expectSeq)
          return {
            ok: false,
            entries,
            firstBadEntry: { ...where, seq: expectSeq, reason: 'gap' as const },
          };
        if (row.prev_hash !== prevHash)
          return {
            ok: false,
            entries,
            firstBadEntry: { ...where, reason: 'broken_link' as const },
          };
        if (entryHash(chained(row)) !== row.hash)
          return {
            ok: false,
            entries,
            firstBadEntry: { ...where, reason: 'hash_mismatch' as const },
          };
        prevHash = row.hash;
        expectSeq++;
        entries++;
      }
      if (rows.length < 5000) break;
    }
    const head = await repo.readHead(tx);
    if (Number(head.seq) !== entries || head.hash !== prevHash) {
      return {
        ok: false,
        entries,
        firstBadEntry: {
          seq: Math.min(Number(head.seq), entries + 1),
          reason: 'head_mismatch' as const,
        },
      };
    }
    return { ok: true, entries };
  });
}
