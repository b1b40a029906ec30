import { loadConfig } from './config.js';
import { createDb } from '../db/pool.js';
import { migrate } from '../db/migrate.js';
import { startEmbedded } from '../db/embedded.js';

/** `npm run migrate`: applies pending migrations to the configured database and exits. */
const config = loadConfig();
const embedded = config.databaseUrl
  ? undefined
  : await startEmbedded(config.dataDir, { move: !config.dataDirChosen });
const db = createDb(config.databaseUrl ?? embedded!.url, 2);
try {
  const applied = await migrate(db, (m) => console.log(m));
  console.log(applied.length ? `applied ${applied.length} migration(s)` : 'database is up to date');
} finally {
  await db.end();
  await embedded?.stop();
}
