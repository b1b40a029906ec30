import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { createDb, siblingDb, withTx } from '../db/pool.js';
import { migrate } from '../db/migrate.js';
import { checkDurability } from '../db/durability.js';
import { startEmbedded, type EmbeddedServer } from '../db/embedded.js';
import { seedDemo, DEMO_AUTHORITY_CODE } from '../demo/seed.js';
import { bootstrapAdmin } from '../modules/identity/index.js';
import { startJobs } from './jobs.js';

/**
 * Starts gongshu: database (embedded unless DATABASE_URL), migrations, first admin or demo, HTTP.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  let embedded: EmbeddedServer | undefined;
  if (!config.databaseUrl) {
    try {
      embedded = await startEmbedded(config.dataDir, { say, move: !config.dataDirChosen });
    } catch (err) {
      console.error(`gongshu: cannot start the embedded PostgreSQL: ${(err as Error).message}`);
      process.exit(1);
    }
  }
  // every statement of a request is cut at GONGSHU_STATEMENT_TIMEOUT_MS
  const db = createDb(config.databaseUrl ?? embedded!.url, config.databasePoolSize, 'gongshu', {
    statementTimeoutMs: config.statementTimeoutMs,
  });
  // background jobs are not requests: the ledger's roll-up after a long pause may take a while
  const jobsDb = siblingDb(db, 2, 'gongshu jobs', { statementTimeoutMs: 0 });
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let stopJobs: (() => Promise<void>) | undefined;
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`gongshu: ${signal} received, shutting down`);
    await stopJobs?.().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await jobsDb.end().catch(() => undefined);
    await db.end().catch(() => undefined);
    await embedded?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  try {
    for (const warning of await checkDurability(db)) console.error(`gongshu: warning: ${warning}`);
    await migrate(db, say);
    if (config.demo) {
      if (await seedDemo(db, config.demoPassword, config.profile, config.crypto))
        say('gongshu: demo deployment loaded');
      say(
        `gongshu: demo users (admin, reviewer, auditor, operator, <gaj|scjg|rsj|swj|wjw|zrzy|jyj|jtj>.<officer|cdo|consumer>) sign in with password: ${config.demoPassword}`,
      );
    } else {
      const password = await withTx(db, (tx) =>
        bootstrapAdmin(tx, '数据主管部门', DEMO_AUTHORITY_CODE),
      );
      if (password)
        say(
          `gongshu: created platform admin "admin" with password: ${password}  (shown once; change it after signing in)`,
        );
    }
    app = await buildApp({ config, db });
    await app.listen({ port: config.port, host: config.host });
    const server = app;
    stopJobs = await startJobs(jobsDb, config.databaseUrl ?? embedded!.url, config, (msg, err) =>
      err ? server.log.error({ err }, msg) : server.log.info(msg),
    );
    say(
      `gongshu: serving on http://localhost:${config.port}  (API docs: http://localhost:${config.port}/api/docs)`,
    );
  } catch (err) {
    console.error(`gongshu: failed to start: ${(err as Error).message}`);
    await app?.close().catch(() => undefined);
    await jobsDb.end().catch(() => undefined);
    await db.end().catch(() => undefined);
    await embedded?.stop();
    process.exit(1);
  }
}

void main();
