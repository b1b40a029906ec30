// npm run bench:ingest [-- --rows N] [--again]
// Generates the 20-column enterprise registry as a CSV file (default 1,000,000 rows) and measures,
// on the database in use (DATABASE_URL's server, else an embedded PostgreSQL):
//   (a) raw COPY of the file into a table with the same typed columns and the same unique
//       identifier index — the ceiling;
//   (b) gongshu's upsert batch of the same file through the HTTP API with every rule on
//       (required, type, length, pattern, enum, range, USCC and mobile check digits, identifier
// unique in batch and pool), staged, validated, merged with change history in one transaction;
//   (c) the server's peak RSS (VmHWM of the server process).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { ENTERPRISE_FIELDS, enterpriseCsv } from './enterprises.js';
import { poolTable, SQL_TYPES } from '../src/modules/pool/pool.sql.js';
import { arg, benchDatabase, publishedRegistry, startGongshu } from './lib.js';

const ROWS = arg('rows', 1_000_000);
const say = (s: string) => process.stdout.write(`${s}\n`);

/** The registry's fields with every kind of rule switched on. */
const FIELDS = ENTERPRISE_FIELDS.map((f) => ({
  ...f,
  ...(f.name === 'name' ? { length: 200 } : {}),
  ...(f.name === 'status'
    ? { enumValues: ['存续', '在业', '吊销', '注销', '迁出'], required: true }
    : {}),
  ...(f.name === 'employees' ? { min: 0, max: 10_000_000 } : {}),
  ...(f.name === 'reg_capital' ? { min: 0 } : {}),
  ...(f.name === 'postal_code' ? { pattern: '[0-9]{6}' } : {}),
  ...(f.name === 'credit_level' ? { enumValues: ['A', 'B', 'M', 'C', 'D'] } : {}),
}));

async function main() {
  const file = path.join(os.tmpdir(), `gongshu-enterprises-${ROWS}.csv`);
  if (!fs.existsSync(file)) {
    const t = Date.now();
    await pipeline(enterpriseCsv(ROWS), fs.createWriteStream(file));
    say(
      `generated ${file} (${(fs.statSync(file).size / 1048576).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`,
    );
  }
  const mb = fs.statSync(file).size / 1048576;
  const db = await benchDatabase();
  say(
    `bench:ingest on ${db.label}: ${ROWS.toLocaleString('en')} rows, ${mb.toFixed(0)} MB, 20 columns`,
  );
  const server = await startGongshu(db.url);
  const pgc = new pg.Client({ connectionString: db.url });
  try {
    // The scenario through the API: a provider, its published entry, its front-end processor's key.
    const { admin, provider, resource } = await publishedRegistry(server, FIELDS);
    const { key } = await admin.call('POST', `/api/v1/orgs/${provider.id}/clients`, {
      name: '前置机',
      roles: ['officer'],
    });

    // (a) the ceiling: COPY into the same typed columns with the same unique identifier index
    await pgc.connect();
    const cols = FIELDS.map(
      (f) => `"${f.name}" ${SQL_TYPES[f.type as keyof typeof SQL_TYPES]}`,
    ).join(', ');
    await pgc.query(`CREATE TABLE raw_enterprises (${cols})`);
    await pgc.query('CREATE UNIQUE INDEX raw_enterprises_uscc ON raw_enterprises (uscc)');
    await pgc.query('CHECKPOINT');
    let t = Date.now();
    await pipeline(
      fs.createReadStream(file, { highWaterMark: 256 * 1024 }),
      pgc.query(copyFrom('COPY raw_enterprises FROM STDIN WITH (FORMAT csv, HEADER)')),
    );
    const rawSeconds = (Date.now() - t) / 1000;
    await pgc.query('DROP TABLE raw_enterprises');
    await pgc.query('CHECKPOINT');

    // (b) gongshu: the same file as an upsert batch over HTTP, every rule on
    const rssBefore = server.peakRssMb();
    t = Date.now();
    const res = await fetch(`${server.base}/api/v1/resources/${resource.id}/batches?mode=upsert`, {
      method: 'POST',
      duplex: 'half',
      body: fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as unknown as BodyInit,
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'text/csv',
        'idempotency-key': `bench-${Date.now()}`,
      },
    } as RequestInit);
    const body = await res.json();
    const gongshuSeconds = (Date.now() - t) / 1000;
    if (res.status !== 201) throw new Error(`batch failed: ${res.status} ${JSON.stringify(body)}`);
    const batch = body.batch;
    const {
      rows: [entry],
    } = await pgc.query('SELECT table_name FROM pool_tables WHERE resource_id = $1', [resource.id]);
    const pooled = Number(
      (
        await pgc.query(
          `SELECT count(*) FROM ${poolTable({ tableName: entry.table_name })} WHERE NOT _deleted`,
        )
      ).rows[0].count,
    );

    const rawRate = ROWS / rawSeconds;
    const rate = ROWS / gongshuSeconds;
    say(
      `(a) raw COPY, typed + unique index : ${rawSeconds.toFixed(1)} s  ${Math.round(rawRate).toLocaleString('en')} rows/s  ${(mb / rawSeconds).toFixed(1)} MB/s`,
    );
    say(
      `(b) gongshu upsert batch over HTTP  : ${gongshuSeconds.toFixed(1)} s  ${Math.round(rate).toLocaleString('en')} rows/s  ${(mb / gongshuSeconds).toFixed(1)} MB/s`,
    );
    say(
      `    batch ${batch.status}: ${batch.received} received, ${batch.accepted} accepted, ${batch.rejected} rejected, ${batch.inserted} inserted; ${pooled.toLocaleString('en')} rows pooled`,
    );
    say(`    ratio b/a = ${(rate / rawRate).toFixed(2)}  (target ≥ 0.5)`);
    say(
      `(c) server peak RSS: ${server.peakRssMb().toFixed(0)} MB (before the batch: ${rssBefore.toFixed(0)} MB; target < 300 MB)`,
    );
    if (process.argv.includes('--again')) {
      // not part of the target: the same file again into the now full pool (staged, every row
      // compared)
      t = Date.now();
      const again = await fetch(
        `${server.base}/api/v1/resources/${resource.id}/batches?mode=upsert`,
        {
          method: 'POST',
          duplex: 'half',
          body: fs.createReadStream(file, { highWaterMark: 256 * 1024 }) as unknown as BodyInit,
          headers: {
            authorization: `Bearer ${key}`,
            'content-type': 'text/csv',
            'idempotency-key': `bench-again-${Date.now()}`,
          },
        } as RequestInit,
      );
      const second = (await again.json()).batch;
      const s = (Date.now() - t) / 1000;
      say(
        `(d) the same file again, upsert into the full pool: ${s.toFixed(1)} s  ${Math.round(ROWS / s).toLocaleString('en')} rows/s; ${second.unchanged} unchanged, ${second.updated} updated; peak RSS ${server.peakRssMb().toFixed(0)} MB`,
      );
    }
  } finally {
    await pgc.end().catch(() => undefined);
    await server.stop();
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
