import pg from 'pg';

/** A connection or pooled client inside a transaction; repositories take one of these. */
export type Tx = pg.PoolClient;
export type Db = pg.Pool;

// Return int8 and numeric as JS numbers where they fit; counts and ids stay readable.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : v;
});
// `date` columns stay 'YYYY-MM-DD' strings: they are calendar days, not instants.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

/** Settings every connection of a pool starts with (sent when it connects: no extra round trip). */
interface ConnectionLimits {
  /** A statement waiting longer than this for a lock fails (55P03). */
  lockTimeoutMs?: number;
  /**
   * A statement running longer than this is cancelled (57014); 0: no limit, whatever the server,
   * database or role sets. Unset: the server's own setting.
   */
  statementTimeoutMs?: number;
}

/**
 * Opens a pool on the given server; `name` is what pg_stat_activity shows for its connections.
 */
export function createDb(
  url: string,
  max = 20,
  name = 'gongshu',
  limits: ConnectionLimits = {},
): Db {
  const settings = [
    limits.lockTimeoutMs ? `-c lock_timeout=${Math.trunc(limits.lockTimeoutMs)}` : '',
    limits.statementTimeoutMs === undefined
      ? ''
      : `-c statement_timeout=${Math.trunc(limits.statementTimeoutMs)}`,
  ].filter(Boolean);
  const options = settings.length ? settings.join(' ') : undefined;
  const pool = new pg.Pool({ connectionString: url, max, application_name: name, options });
  pool.on('error', () => undefined); // idle client errors surface on the next query
  // A connection lost while a request holds it (the server crashed or restarted) fails that
  // request's queries and is dropped on release; unheard, its 'error' event would end the process.
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}

/**
 * Another pool on the same server, for work that must not queue behind requests (or hold them up).
 */
export function siblingDb(db: Db, max: number, name: string, limits: ConnectionLimits = {}): Db {
  return createDb(db.options.connectionString!, max, name, limits);
}

/** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
export async function withTx<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Runs reads on one pooled connection without a transaction: each statement sees committed data,
 * and a read costs no BEGIN/COMMIT round trips. Use withTx where several statements must agree.
 */
export async function withConnection<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}
