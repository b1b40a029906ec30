/**
 * What the platform writes to the audit ledger. The audit module keeps the ledger (a hash chain);
 * the app hands its writers to the platform (`app.audited`, `app.auditReads`), so the platform
 * layer needs only these shapes.
 */
import type { Tx } from '../../db/pool.js';

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

/** Appends entries to the ledger inside `tx`, after the work they record (the audit module's). */
export type AppendAudit = (tx: Tx, entries: AuditEntry[]) => Promise<void>;

/** Group commit of read entries: resolves once `entry` is committed to the ledger. */
export interface ReadAudit {
  record(entry: AuditEntry): Promise<void>;
}
