import type { RouteOptions } from 'fastify';
import type { Db } from '../../db/pool.js';

type Callback = (err: Error | null, result?: { current: number; ttl: number }) => void;

/**
 * A fixed-window counter for @fastify/rate-limit kept in PostgreSQL, so every instance behind a
 * load balancer counts the same hits.
 */
export function postgresRateLimitStore(db: Db) {
  return class PostgresStore {
    constructor(private readonly options: { timeWindow?: number } = {}) {}
    incr(key: string, cb: Callback, timeWindow = this.options.timeWindow ?? 60_000) {
      db.query(
        `INSERT INTO rate_limits AS r (key, window_end, hits) VALUES ($1, clock_timestamp() + make_interval(secs => $2 / 1000.0), 1)
         ON CONFLICT (key) DO UPDATE SET
           hits = CASE WHEN r.window_end <= clock_timestamp() THEN 1 ELSE r.hits + 1 END,
           window_end = CASE WHEN r.window_end <= clock_timestamp() THEN excluded.window_end ELSE r.window_end END
         RETURNING hits, greatest(0, extract(epoch FROM (window_end - clock_timestamp())) * 1000)::int AS ttl`,
        [key, timeWindow],
      ).then(
        ({ rows }) => cb(null, { current: rows[0].hits, ttl: rows[0].ttl }),
        (err: Error) => cb(err),
      );
    }
    /** The plugin asks for each route's store with the route's options merged with its own. */
    child(routeOptions: RouteOptions & { timeWindow?: number }) {
      return new PostgresStore({ timeWindow: routeOptions.timeWindow });
    }
  };
}
