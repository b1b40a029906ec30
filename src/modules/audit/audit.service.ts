import type { Db, Tx } from '../../db/pool.js';
import { withTx } from '../../db/pool.js';
import { digest, digestName, type CryptoSuite } from '../../lib/crypto.js';
import { chainedJson, type ChainedFields } from './audit.canonical.js';
import * as repo from './audit.repository.js';

/** Who did something, as the ledger records it. */
export interface AuditActor {
  kind: 'user' | 'client' | 'anonymous' | 'system';
  id: string | null;
  name: string | null;
  orgId: string | null;
}

/** What a caller hands to the ledger; sequence, time and hashes are the ledger's own. */
export interface AuditEntry {
  actor: AuditActor;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  outcome: 'success' | 'failure' | 'denied';
  requestId?: string | null;
  clientIp?: string | null;
  details?: Record<string, unknown>;
}

function chained(row: repo.LedgerRow | (Omit<repo.LedgerRow, 'at'> & { at: string })): ChainedFields {
  return {
    seq: Number(row.seq),
    at: typeof row.at === 'string' ? row.at : row.at.toISOString(),
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
  const rows = chainRows(await repo.lockHead(tx), suite, entries);
  await repo.insertEntries(tx, rows);
  const last = rows[rows.length - 1];
  await repo.moveHead(tx, last.seq, last.hash);
}

export interface ChainHead { seq: number; hash: string }

/** The ledger rows of `entries`, numbered and hashed onward from `head`. */
function chainRows(head: ChainHead, suite: CryptoSuite, entries: AuditEntry[]) {
  let seq = Number(head.seq);
  let hash = head.hash;
  const at = new Date().toISOString();
  return entries.map((e) => {
    seq += 1;
    const row = {
      seq, at, actor_id: e.actor.id, actor_name: e.actor.name, actor_kind: e.actor.kind, org_id: e.actor.orgId,
      action: e.action, target_type: e.targetType ?? null, target_id: e.targetId ?? null, outcome: e.outcome,
      request_id: e.requestId ?? null, client_ip: e.clientIp ?? null, details: e.details ?? {},
      algorithm: digestName(suite), prev_hash: hash, hash: '',
    };
    row.hash = entryHash(chained(row));
    hash = row.hash;
    return row;
  });
}

/**
 * Appends `entries` after `head` in one statement, without a transaction of its own: the chain's
 * tip moves only if it is still `head` (compare-and-set), and the rows go in with it or not at all.
 * Returns the new head, or null when another writer moved the tip first (read it and try again).
 */
export async function appendAt(db: Db, suite: CryptoSuite, head: ChainHead, entries: AuditEntry[]): Promise<ChainHead | null> {
  const rows = chainRows(head, suite, entries);
  const last = rows[rows.length - 1];
  const written = await repo.insertEntriesIfHead(db, head, { seq: last.seq, hash: last.hash }, rows);
  return written === rows.length ? { seq: last.seq, hash: last.hash } : null;
}

/** Appends in a transaction of its own (sign-in failures, refusals: events with no change to join). */
export function appendAlone(db: Db, suite: CryptoSuite, entries: AuditEntry[]): Promise<void> {
  return withTx(db, (tx) => append(tx, suite, entries));
}

export interface VerifyResult {
  ok: boolean;
  entries: number;
  firstBadEntry?: { seq: number; reason: 'hash_mismatch' | 'broken_link' | 'gap' | 'head_mismatch'; at?: string; action?: string };
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
        if (seq !== expectSeq) return { ok: false, entries, firstBadEntry: { ...where, seq: expectSeq, reason: 'gap' as const } };
        if (row.prev_hash !== prevHash) return { ok: false, entries, firstBadEntry: { ...where, reason: 'broken_link' as const } };
        if (entryHash(chained(row)) !== row.hash) return { ok: false, entries, firstBadEntry: { ...where, reason: 'hash_mismatch' as const } };
        prevHash = row.hash;
        expectSeq++;
        entries++;
      }
      if (rows.length < 5000) break;
    }
    const head = await repo.readHead(tx);
    if (Number(head.seq) !== entries || head.hash !== prevHash) {
      return { ok: false, entries, firstBadEntry: { seq: Math.min(Number(head.seq), entries + 1), reason: 'head_mismatch' as const } };
    }
    return { ok: true, entries };
  });
}
