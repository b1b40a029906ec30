import type { Db } from './pool.js';

/**
 * Refuses a PostgreSQL server that may lose or corrupt committed data in a crash, and warns of one
 * that may lose the last commits: a batch answered as loaded, or a read's ledger entry, must
 * survive the server or its machine stopping at any instant. Returns the warnings to show.
 */
export async function checkDurability(db: Db): Promise<string[]> {
  const { rows } = await db.query<Record<string, string>>(
    `SELECT current_setting('fsync') AS fsync,
            current_setting('full_page_writes') AS full_page_writes,
            current_setting('synchronous_commit') AS synchronous_commit`,
  );
  const s = rows[0];
  const off = ['fsync', 'full_page_writes'].filter((name) => s[name] === 'off');
  if (off.length)
    throw new Error(
      `PostgreSQL runs with ${off.map((n) => `${n} = off`).join(' and ')}, so a crash can lose or corrupt committed data; set ${off.map((n) => `${n} = on`).join(' and ')} in its configuration`,
    );
  return s.synchronous_commit === 'off'
    ? [
        'PostgreSQL runs with synchronous_commit = off, so a crash can lose the last transactions after they were answered (loaded batches, audit entries); set synchronous_commit = on',
      ]
    : [];
}
