/** One ledger entry as the hash covers it. */
export interface ChainedFields {
  seq: number;
  at: string; // ISO-8601 with milliseconds, UTC
  actorId: string | null;
  actorName: string | null;
  actorKind: string;
  orgId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  outcome: string;
  requestId: string | null;
  clientIp: string | null;
  details: unknown;
  algorithm: string;
  prevHash: string;
}

/** JSON with object keys sorted at every depth: one byte sequence per value, whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}
