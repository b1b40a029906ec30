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

/**
 * JSON with object keys sorted at every depth: one byte sequence per value, whatever the key order.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    // dates, as JSON.stringify has them
    return canonicalJson((value as { toJSON(): unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = '{';
  for (const k of keys) {
    if (obj[k] === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(obj[k])}`;
  }
  return `${out}}`;
}

/** The keys of ChainedFields in canonical (sorted) order. */
const CHAINED_KEYS = [
  'action',
  'actorId',
  'actorKind',
  'actorName',
  'algorithm',
  'at',
  'clientIp',
  'details',
  'orgId',
  'outcome',
  'prevHash',
  'requestId',
  'seq',
  'targetId',
  'targetType',
] as const satisfies readonly (keyof ChainedFields)[];
// A field added to ChainedFields but not to CHAINED_KEYS would drop out of the hash: refuse to
// compile.
const everyFieldHashed: Exclude<keyof ChainedFields, (typeof CHAINED_KEYS)[number]> extends never
  ? true
  : never = true;
void everyFieldHashed;

/** canonicalJson(fields), without sorting the keys of every entry anew. */
export function chainedJson(fields: ChainedFields): string {
  let out = '{';
  for (const k of CHAINED_KEYS) {
    out += `${out.length > 1 ? ',' : ''}"${k}":${k === 'details' ? canonicalJson(fields.details) : JSON.stringify(fields[k])}`;
  }
  return `${out}}`;
}
