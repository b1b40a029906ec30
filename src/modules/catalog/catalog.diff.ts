import type { CatalogField, EntryContent } from './catalog.types.js';

export interface Change {
  attribute: string;
  from: unknown;
  to: unknown;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function changes<T extends object>(a: T, b: T, skip: string[] = []): Change[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter(
    (k) => !skip.includes(k),
  );
  return keys
    .filter((k) => !same(a[k as keyof T], b[k as keyof T]))
    .map((k) => ({ attribute: k, from: a[k as keyof T] ?? null, to: b[k as keyof T] ?? null }));
}

/**
 * What changed between two versions of an entry: its attributes, and fields added, removed and
 * changed (matched by name).
 */
export function diffContent(a: EntryContent, b: EntryContent) {
  const before = new Map(a.fields.map((f) => [f.name, f]));
  const after = new Map(b.fields.map((f) => [f.name, f]));
  const changed: { name: string; label: string; changes: Change[] }[] = [];
  for (const [name, f] of after) {
    const old = before.get(name);
    if (!old) continue;
    const c = changes<CatalogField>(old, f);
    if (c.length) changed.push({ name, label: f.label, changes: c });
  }
  return {
    attributes: changes(a, b, ['fields']),
    fields: {
      added: b.fields.filter((f) => !before.has(f.name)),
      removed: a.fields.filter((f) => !after.has(f.name)),
      changed,
    },
  };
}
