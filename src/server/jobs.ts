import PgBoss from 'pg-boss';
import type { Db } from '../db/pool.js';
import { getProfile } from '../modules/profiles/index.js';
import { runSharingTimers } from '../modules/sharing/index.js';
import { rollUpHours } from '../modules/audit/index.js';
import type { Config } from './config.js';

const SHARING_TIMERS = 'sharing-timers';
const AUDIT_ROLLUP = 'audit-rollup';

/**
 * Background work on pg-boss: its cron fires each job once per tick across all instances (the
 * sharing timers each minute, the ledger's roll-up each hour); the jobs are idempotent SQL state
 * changes, so a missed or doubled tick does no harm and state survives restarts in the database.
 */
export async function startJobs(
  db: Db,
  url: string,
  config: Config,
  log: (msg: string, err?: unknown) => void,
): Promise<() => Promise<void>> {
  const boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4 });
  boss.on('error', (err) => log('job queue error', err));
  await boss.start();
  await boss.createQueue(SHARING_TIMERS);
  await boss.schedule(SHARING_TIMERS, '* * * * *', undefined, { tz: 'Asia/Shanghai' });
  const profile = getProfile(config.profile);
  await boss.work(SHARING_TIMERS, async () => {
    const result = await runSharingTimers(db, profile, config.crypto);
    if (Object.values(result).some((n) => n > 0)) log(`sharing timers: ${JSON.stringify(result)}`);
  });
  // The ledger's hourly totals, a quarter past each hour (the hour before is over by then).
  await boss.createQueue(AUDIT_ROLLUP);
  await boss.schedule(AUDIT_ROLLUP, '15 * * * *', undefined, { tz: 'Asia/Shanghai' });
  await boss.work(AUDIT_ROLLUP, async () => {
    await rollUpHours(db);
  });
  // and both once now, so a restart catches up at once
  void runSharingTimers(db, profile, config.crypto).catch((err) =>
    log('sharing timers failed', err),
  );
  void rollUpHours(db).catch((err) => log('audit roll-up failed', err));
  return () => boss.stop({ graceful: true, wait: true, timeout: 10_000 });
}
