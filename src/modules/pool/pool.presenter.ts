import type { Batch } from './pool.schemas.js';
import type { BatchRow, ChangeRow } from './pool.repository.js';
import type { PoolEntry } from './pool.types.js';

export function presentBatch(b: BatchRow): Batch {
  return {
    id: b.id,
    resourceId: b.resource_id,
    mode: b.mode,
    strict: b.strict,
    format: b.format,
    status: b.status,
    idempotencyKey: b.idempotency_key,
    received: b.received,
    accepted: b.accepted,
    rejected: b.rejected,
    inserted: b.inserted,
    updated: b.updated,
    deleted: b.deleted,
    unchanged: b.unchanged,
    bytes: b.bytes,
    error: b.error,
    fileName: b.file_name,
    startedBy: { kind: b.actor_kind, id: b.actor_id, name: b.actor_name, orgId: b.org_id },
    startedAt: b.started_at.toISOString(),
    finishedAt: b.finished_at?.toISOString() ?? null,
    durationMs: b.finished_at ? b.finished_at.getTime() - b.started_at.getTime() : null,
  };
}

/** A pooled row keyed by field names (its columns are the platform's business). */
export function presentRow(
  entry: PoolEntry,
  row: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of entry.fields) {
    const v = row[f.column];
    out[f.name] = v instanceof Date ? v.toISOString() : (v ?? null);
  }
  return out;
}

export function presentChange(entry: PoolEntry, c: ChangeRow) {
  return {
    cursor: Number(c.cursor),
    op: c.op,
    rowId: Number(c.row_id),
    batchId: c.batch_id,
    at: c.at.toISOString(),
    row: presentRow(entry, c),
  };
}

export function presentPoolInfo(e: PoolEntry, rows: number, proposalsPending: number) {
  return {
    proposalsPending,
    resourceId: e.resourceId,
    code: e.code,
    name: e.name,
    providerOrgId: e.providerOrgId,
    version: e.version,
    identifierField: e.identifierField,
    updateFrequency: e.updateFrequency,
    fields: e.fields.map((f) => ({
      name: f.name,
      label: f.label,
      type: f.type,
      required: f.required,
      sensitivity: f.sensitivity,
      validator: f.validator ?? null,
    })),
    rows,
    lastLoadedAt: e.lastLoadedAt?.toISOString() ?? null,
    publishedAt: new Date(e.publishedAt).toISOString(),
  };
}
