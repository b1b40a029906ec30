import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/pool.js';
import { AppError } from '../../lib/errors.js';
import { sendError } from './errors.js';

interface Window {
  /** When the window ends (this process's clock, set from the database's at each flush). */
  end: number;
  /** Hits of every instance, as the database counted them at the last flush. */
  known: number;
  /** Hits here since, not yet sent; and those being sent now. */
  pending: number;
  sending: number;
}

const WINDOW_MS = 60_000;
const FLUSH_EVERY_MS = 100;

/**
 * Fixed one-minute windows of hits per key, shared by every instance through the `rate_limits`
 * table without a write per request: each instance counts in memory and adds its hits to the
 * table in one statement every 100 ms, learning the others' hits as it does. So an instance may
 * let through what the other instances took in the last 100 ms, and no more.
 */
class SharedCounter {
  private readonly windows = new Map<string, Window>();
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  /** Counts a hit of `key`: the hits of its window so far, and the milliseconds it has left. */
  hit(key: string): { count: number; leftMs: number } {
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || w.end <= now) {
      w = { end: now + WINDOW_MS, known: 0, pending: 0, sending: 0 };
      this.windows.set(key, w);
    }
    w.pending++;
    this.schedule();
    return { count: w.known + w.sending + w.pending, leftMs: w.end - now };
  }

  private schedule(): void {
    if (this.timer || this.sending) return;
    this.timer = setTimeout(() => void this.flush(), FLUSH_EVERY_MS);
    this.timer.unref();
  }

  /** Adds the pending hits to the shared counts and reads them back; on failure keeps them. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
    const now = Date.now();
    for (const [key, w] of this.windows) if (!w.pending && w.end <= now) this.windows.delete(key);
    // in key order, so two instances lock the rows in the same order
    const batch = [...this.windows]
      .filter(([, w]) => w.pending > 0)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    if (!batch.length) return;
    for (const [, w] of batch) {
      w.sending = w.pending;
      w.pending = 0;
    }
    this.sending = (async () => {
      try {
        const { rows } = await this.db.query<{ key: string; hits: number; ttl: number }>(
          `INSERT INTO rate_limits AS r (key, window_end, hits)
           SELECT k, clock_timestamp() + make_interval(secs => $3 / 1000.0), n
             FROM unnest($1::text[], $2::int[]) AS t(k, n)
           ON CONFLICT (key) DO UPDATE SET
             hits = CASE WHEN r.window_end <= clock_timestamp() THEN excluded.hits ELSE r.hits + excluded.hits END,
             window_end = CASE WHEN r.window_end <= clock_timestamp() THEN excluded.window_end ELSE r.window_end END
           RETURNING key, hits, greatest(0, extract(epoch FROM (window_end - clock_timestamp())) * 1000)::int AS ttl`,
          [batch.map(([k]) => k), batch.map(([, w]) => w.sending), WINDOW_MS],
        );
        const at = Date.now();
        for (const row of rows) {
          const w = this.windows.get(row.key);
          if (!w) continue;
          w.known = row.hits;
          w.sending = 0;
          w.end = at + row.ttl;
        }
      } catch {
        // the database is away: count on here and send these hits with the next ones
        for (const [, w] of batch) {
          w.pending += w.sending;
          w.sending = 0;
        }
      }
    })();
    await this.sending;
    this.sending = undefined;
    if ([...this.windows.values()].some((w) => w.pending > 0)) this.schedule();
  }
}

/**
 * Limits every signed-in user and API client to `perMinute` requests a minute across all
 * instances (0: no limit); past it, 429 RATE_LIMITED with Retry-After until the minute is over.
 * Runs after the caller is known and before the body is read.
 */
export function installCallerRateLimit(app: FastifyInstance, db: Db, perMinute: number): void {
  if (!perMinute) return;
  const counter = new SharedCounter(db);
  app.addHook('onClose', async () => {
    await counter.flush().catch(() => undefined);
  });
  app.addHook('onRequest', async (req, reply) => {
    if (!req.actor) return;
    const { count, leftMs } = counter.hit(`caller:${req.actor.kind}:${req.actor.id}`);
    if (count <= perMinute) return;
    reply.header('retry-after', String(Math.max(1, Math.ceil(leftMs / 1000))));
    return sendError(req, reply, new AppError('RATE_LIMITED', { limit: perMinute, per: 'minute' }));
  });
}
