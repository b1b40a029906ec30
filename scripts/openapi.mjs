// Writes the API's OpenAPI document (what GET /api/openapi.json serves) to a file, by default
// dist/openapi.json: `node scripts/openapi.mjs [file]`. No database is needed: the application is
// built on a connection pool that answers every query with no rows (the one query made while it
// starts, the pool's recovery of interrupted batches, then finds nothing to recover), and the
// address it names refuses connections, so the listener for cross-instance notices gives up at
// once. Needs the TypeScript sources only (run through tsx), not a build.
import fs from 'node:fs';
import path from 'node:path';
import { register } from 'tsx/esm/api';

const out = path.resolve(process.argv[2] ?? 'dist/openapi.json');
register();
const { default: pg } = await import('pg');
const { buildApp } = await import('../src/server/app.ts');
const { loadConfig } = await import('../src/server/config.ts');

const nothing = { rows: [], rowCount: 0, fields: [] };
class NoDatabase extends pg.Pool {
  async connect() {
    return { query: async () => nothing, release() {} };
  }
  async query() {
    return nothing;
  }
}

const db = new NoDatabase({ connectionString: 'postgres://openapi@127.0.0.1:1/none' });
const app = await buildApp({ config: loadConfig({}, []), db, logger: false });
await app.ready();
const doc = app.swagger();
await app.close();
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
const operations = Object.values(doc.paths ?? {}).flatMap((item) => Object.keys(item)).length;
console.log(
  `${path.relative(process.cwd(), out)}: OpenAPI ${doc.openapi}, ${operations} operations`,
);
