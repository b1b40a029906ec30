import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Db, Tx } from './pool.js';

/**
 * What one instance tells the others about through PostgreSQL's NOTIFY: the payload is the id of
 * the thing that changed, so each instance drops what it remembers of it.
 */
export type Topic = 'gongshu_channel' | 'gongshu_api_client';
const TOPICS: Topic[] = ['gongshu_channel', 'gongshu_api_client'];

/**
 * Tells every instance on the database that the things with `ids` changed; inside a transaction,
 * once it commits.
 */
export async function announce(db: Db | Tx, topic: Topic, ids: string | string[]): Promise<void> {
  const list = typeof ids === 'string' ? [ids] : ids;
  if (list.length)
    await db.query('SELECT pg_notify($1, id) FROM unnest($2::text[]) AS id', [topic, list]);
}

/**
 * Hears announcements on a connection of its own, for caches that must forget a revoked channel or
 * API key at once rather than when their entry expires. While the connection is down announcements
 * are missed, so each handler is told to forget everything (`id` undefined) whenever it is lost,
 * and the caches' own short lives bound what they hold until it is back. A network path that dies
 * without a word (no reset, no close) is found by asking the server every `checkEveryMs`: no answer
 * within that time counts as a lost connection.
 */
export class Notices {
  private readonly events = new EventEmitter();
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private closed = false;
  private backoffMs = 500;

  private constructor(
    private readonly url: string,
    private readonly checkEveryMs: number,
  ) {
    this.events.setMaxListeners(50);
  }

  /**
   * Starts listening; resolves once the first connection is up (or has failed and will be retried).
   */
  static async start(url: string, { checkEveryMs = 30_000 } = {}): Promise<Notices> {
    const notices = new Notices(url, checkEveryMs);
    await notices.connect();
    return notices;
  }

  /**
   * Calls `handler` with the id of each change announced on `topic`, and with undefined when some
   * may have been missed. Returns the function that stops it.
   */
  on(topic: Topic, handler: (id: string | undefined) => void): () => void {
    this.events.on(topic, handler);
    return () => this.events.off(topic, handler);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'gongshu notices',
      keepAlive: true,
      connectionTimeoutMillis: 10_000,
    });
    client.on('notification', (msg) => {
      if (TOPICS.includes(msg.channel as Topic) && msg.payload)
        this.events.emit(msg.channel, msg.payload);
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = undefined;
      clearInterval(this.heartbeat);
      client.end().catch(() => undefined);
      this.missed();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      for (const topic of TOPICS) await client.query(`LISTEN ${topic}`);
      if (this.closed) return void (await client.end());
      this.client = client;
      this.backoffMs = 500;
      this.heartbeat = setInterval(() => {
        const silent = setTimeout(lost, this.checkEveryMs).unref();
        client.query('SELECT 1').then(() => clearTimeout(silent), lost);
      }, this.checkEveryMs).unref();
    } catch {
      client.end().catch(() => undefined);
      this.missed();
    }
  }

  /**
   * Announcements may have been missed: every handler forgets everything, and the connection is
   * tried again.
   */
  private missed(): void {
    for (const topic of TOPICS) this.events.emit(topic, undefined);
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, this.backoffMs);
    this.retry.unref();
    this.backoffMs = Math.min(this.backoffMs * 2, 30_000);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    clearInterval(this.heartbeat);
    const client = this.client;
    this.client = undefined;
    // A connection whose path has died would never confirm the end: shutdown does not wait on it.
    let gaveUp: NodeJS.Timeout | undefined;
    await Promise.race([
      client?.end().catch(() => undefined),
      new Promise((resolve) => (gaveUp = setTimeout(resolve, 2_000))),
    ]);
    clearTimeout(gaveUp);
  }
}
