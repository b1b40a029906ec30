import type { Db } from '../../db/pool.js';
import type { CryptoSuite } from '../../lib/crypto.js';
import { readHead } from './audit.repository.js';
import { appendAt, type AuditEntry, type ChainHead } from './audit.service.js';

interface Pending {
  entry: AuditEntry;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for the ledger entries of reads: every read's entry is durable before its response
 * leaves, at a fraction of the cost of one transaction per read. One flush is written at a time
 * (one multi-row INSERT with the move of the chain's tip); entries that arrive meanwhile wait for
 * it and go together in the next, so batches grow with the load and no entry waits on a timer
 * while the ledger is idle — it is written as soon as the event loop turns.
 */
export class AuditBatcher {
  private queue: Pending[] = [];
  /** A flush loop is running (or about to): entries queued now are taken by it. */
  private active = false;
  private loop: Promise<void> = Promise.resolve();
  /** The turn of the event loop that will start flushing, while one is pending. */
  private pending: NodeJS.Immediate | undefined;
  /** The tip this batcher last wrote; right unless another writer appended since. */
  private head: ChainHead | undefined;

  constructor(
    private readonly db: Db,
    private readonly suite: CryptoSuite,
    private readonly maxBatch = 500,
  ) {}

  /** Resolves once `entry` is committed to the ledger; rejects if it could not be written. */
  record(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entry, resolve, reject });
      if (this.active) return;
      this.active = true;
      this.pending = setImmediate(() => this.start());
    });
  }

  private start(): void {
    clearImmediate(this.pending);
    this.pending = undefined;
    this.loop = this.flushAll();
  }

  /**
   * Flushes until the queue is empty, one flush at a time, so entries keep their order in the
   * chain. The next flush is sent before the callers of the last one are released: their responses
   * are then prepared while PostgreSQL writes it, not before it starts.
   */
  private async flushAll(): Promise<void> {
    let current = this.send(this.queue.splice(0, this.maxBatch));
    for (;;) {
      const { batch, written } = current;
      const failure = await written.then(
        () => undefined,
        (err: unknown) => err ?? new Error('ledger write failed'),
      );
      const next = this.queue.length ? this.send(this.queue.splice(0, this.maxBatch)) : undefined;
      // in the same turn as the last look at the queue: no entry is left behind
      if (!next) this.active = false;
      if (failure) for (const p of batch) p.reject(failure);
      else for (const p of batch) p.resolve();
      if (!next) return;
      current = next;
    }
  }

  /** Starts writing `batch`; `written` settles when it is durable (or could not be written). */
  private send(batch: Pending[]): { batch: Pending[]; written: Promise<void> } {
    const entries = batch.map((p) => p.entry);
    const written = (async () => {
      try {
        // One round trip when nobody else wrote since our last flush; otherwise read the tip and
        // retry.
        let tip = this.head ? await appendAt(this.db, this.suite, this.head, entries) : null;
        while (!tip) tip = await appendAt(this.db, this.suite, await readHead(this.db), entries);
        this.head = tip;
      } catch (err) {
        this.head = undefined;
        throw err;
      }
    })();
    return { batch, written };
  }

  /** Writes whatever is queued; for shutdown. */
  async drain(): Promise<void> {
    if (this.pending) this.start();
    await this.loop;
  }
}
