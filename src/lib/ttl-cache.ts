/**
 * A small in-process cache whose entries live `ttlMs`. Used only for what may be a moment stale
 * (an API key's actor, a channel's grant): the instance that made a change forgets the entry at
 * once, others when the change's announcement reaches them (src/db/notices.ts) or, failing that,
 * within the TTL.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: V; until: number }>();
  constructor(
    private readonly ttlMs: number,
    private readonly max = 10_000,
  ) {}

  get(key: K): V | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (e.until < Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: K, value: V): void {
    if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, { value, until: Date.now() + this.ttlMs });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops every entry whose value matches. */
  forget(match: (value: V, key: K) => boolean): void {
    for (const [k, e] of this.entries) if (match(e.value, k)) this.entries.delete(k);
  }
}

/** One cache per database (so test apps on different databases never share entries). */
export function cachePerDb<D extends object, K, V>(ttlMs: number): (db: D) => TtlCache<K, V> {
  const caches = new WeakMap<D, TtlCache<K, V>>();
  return (db) => {
    let c = caches.get(db);
    if (!c) {
      c = new TtlCache<K, V>(ttlMs);
      caches.set(db, c);
    }
    return c;
  };
}
