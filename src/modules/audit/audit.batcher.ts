import type { Db } from '../../db/pool.js';
import type { CryptoSuite } from '../../lib/crypto.js';
import { readHead } from './audit.repository.js';
import { appendAt, type AuditEntry, type ChainHead } from './audit.service.js';

interface Pending { entry: AuditEntry; resolve: () => void; reject: (err: unknown) => void }

/**
 * Group commit for the ledger entries of reads: entries queue for a few milliseconds, are written
 * in one statement (one multi-row INSERT with the move of the chain's tip), and only then are their
 * callers released — so every read's entry is durable before its response leaves, at a fraction
 * of the cost of one transaction per read.
 */
export class AuditBatcher {
  private queue: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  /** The tip this batcher last wrote; right unless another writer appended since. */
  private head: ChainHead | undefined;

  constructor(private readonly db: Db, private readonly suite: CryptoSuite, private readonly delayMs = 2, private readonly maxBatch = 500) {}

  /** Resolves once `entry` is committed to the ledger; rejects if it could not be written. */
  record(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flushSoon(0);
      else this.flushSoon(this.delayMs);
    });
  }

  private flushSoon(delay: number): void {
    if (this.timer && delay > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      // Flushes run one after another so entries keep their order in the chain.
      this.flushing = this.flushing.then(() => this.flush());
    }, delay);
  }

  private async flush(): Promise<void> {
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    if (this.queue.length > 0) this.flushSoon(0);
    try {
      const entries = batch.map((p) => p.entry);
      // One round trip when nobody else wrote since our last flush; otherwise read the tip and retry.
      let written = this.head ? await appendAt(this.db, this.suite, this.head, entries) : null;
      while (!written) written = await appendAt(this.db, this.suite, await readHead(this.db), entries);
      this.head = written;
      batch.forEach((p) => p.resolve());
    } catch (err) {
      this.head = undefined;
      batch.forEach((p) => p.reject(err));
    }
  }

  /** Writes whatever is queued; for shutdown. */
  async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.queue.length) await this.flush();
    await this.flushing;
  }
}
