// npm run bench:share [-- --rows N --duration S --connections C]
// Loads N enterprise rows (default 1,000,000), opens a channel with 8 of 20 fields and masking on 3,
// then measures with autocannon: (a) a bare Fastify + pg route doing the same indexed query — the
// ceiling; (b) gongshu's channel read by identifier (API key, scope, masking, group-committed audit);
// (c) the channel's bulk CSV export in rows/s against raw COPY … TO of the same columns.
// Runs on DATABASE_URL's server when set, else on an embedded PostgreSQL.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import autocannon from 'autocannon';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { ENTERPRISE_FIELDS, enterprise, enterpriseCsv } from './enterprises.js';
import { arg, benchDatabase, BENCH_PASSWORD, benchOrgCode, client, cpuSeconds, freePort, publishedRegistry, startGongshu } from './lib.js';

const ROWS = arg('rows', 1_000_000);
const DURATION = arg('duration', 20);
const CONNECTIONS = arg('connections', 32);
const CHANNEL_FIELDS = ['uscc', 'name', 'legal_rep', 'phone', 'address', 'status', 'industry', 'reg_capital'];
const say = (s: string) => process.stdout.write(`${s}\n`);

async function main() {
  const db = await benchDatabase();
  say(`bench:share on ${db.label}, ${ROWS.toLocaleString()} rows, ${CONNECTIONS} connections × ${DURATION} s`);
  const server = await startGongshu(db.url);
  const children: ReturnType<typeof spawn>[] = [];
  try {
    // The scenario, set up through the API like a deployment would.
    const { admin, authorityId, resource } = await publishedRegistry(server, ENTERPRISE_FIELDS);
    const consumer = await admin.call('POST', '/api/v1/orgs', { name: '税务局', code: benchOrgCode(2), type: 'department', parentId: authorityId });
    await admin.call('POST', '/api/v1/users', { orgId: consumer.id, username: 'swj.consumer', displayName: '业务人员', password: BENCH_PASSWORD, roles: ['consumer'] });

    // 1M rows straight into the pool table with COPY (the ingest benchmark measures loading).
    const pgc = new pg.Client({ connectionString: db.url });
    await pgc.connect();
    const { rows: [entry] } = await pgc.query('SELECT table_name, fields FROM pool_tables WHERE resource_id = $1', [resource.id]);
    const columns = (entry.fields as { name: string; column: string }[]).map((f) => f.column);
    const t0 = Date.now();
    await pipeline(enterpriseCsv(ROWS, false, crypto.randomUUID()), pgc.query(copyFrom(`COPY pool."${entry.table_name}" (${columns.map((c) => `"${c}"`).join(',')}, _batch_id) FROM STDIN WITH (FORMAT csv)`)));
    await pgc.query(`ANALYZE pool."${entry.table_name}"`);
    say(`loaded ${ROWS.toLocaleString()} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    // The channel: 8 of 20 fields, masking on legal_rep, phone and address.
    const tax = client(server.base);
    await tax.login('swj.consumer', BENCH_PASSWORD);
    const request = await tax.call('POST', '/api/v1/share-requests', { resourceId: resource.id, fields: CHANNEL_FIELDS, purpose: '税源管理', scenario: '企业登记信息比对', legalBasis: '《税收征收管理法》第十五条', until: '2099-12-31', delivery: 'api' });
    await admin.call('POST', `/api/v1/share-requests/${request.id}/decisions`, { decision: 'approve' });
    const { channelId } = await tax.call('POST', `/api/v1/share-requests/${request.id}/agreement`, { accept: true });
    const { key } = await admin.call('POST', `/api/v1/orgs/${consumer.id}/clients`, { name: '税务前置机', roles: ['consumer'] });

    const ids = Array.from({ length: 20_000 }, (_, i) => enterprise(Math.floor((i * 48271) % ROWS))[0]);
    const bareCols = CHANNEL_FIELDS.map((n) => (entry.fields as { name: string; column: string }[]).find((f) => f.name === n)!.column);
    const idCol = bareCols[0];
    const barePort = await freePort();
    const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts', db.url, entry.table_name, idCol, String(barePort), ...bareCols], { stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(bare);
    await new Promise((r) => bare.stdout!.once('data', r));

    // Where the CPU goes, per request: the server process, PostgreSQL (all its processes), the load generator.
    const cpu = new Map<autocannon.Result, string>();
    const run = (url: string, path: (id: string) => string, headers: Record<string, string> = {}, serverPid = bare.pid!) => new Promise<autocannon.Result>((resolve, reject) => {
      let n = 0;
      const before = [cpuSeconds(serverPid), cpuSeconds('postgres'), process.cpuUsage(), cpuSeconds(serverPid, 'system')] as const;
      autocannon({
        url, connections: CONNECTIONS, duration: DURATION, headers,
        requests: [{ setupRequest: (req) => ({ ...req, path: path(ids[n++ % ids.length]) }) }],
      }, (err, result) => {
        if (err) return reject(err);
        const self = process.cpuUsage(before[2]);
        const us = (s: number) => `${((s * 1e6) / result.requests.total).toFixed(0)} µs`;
        cpu.set(result, `CPU per request: server ${us(cpuSeconds(serverPid) - before[0])} (system ${us(cpuSeconds(serverPid, 'system') - before[3])}), PostgreSQL ${us(cpuSeconds('postgres') - before[1])}, autocannon ${us((self.user + self.system) / 1e6)}`);
        resolve(result);
      });
    });
    // warm both up
    await run(`http://127.0.0.1:${barePort}`, (id) => `/e/${id}`).then(() => undefined);
    const ledgerBefore = Number((await pgc.query('SELECT seq FROM audit_head')).rows[0].seq);
    const a = await run(`http://127.0.0.1:${barePort}`, (id) => `/e/${id}`);
    const b = await run(server.base, (id) => `/api/v1/channels/${channelId}/records?uscc=${id}`, { authorization: `Bearer ${key}` }, server.child.pid!);
    const ledgerAfter = Number((await pgc.query('SELECT seq FROM audit_head')).rows[0].seq);
    const sample = await (await fetch(`${server.base}/api/v1/channels/${channelId}/records?uscc=${ids[0]}`, { headers: { authorization: `Bearer ${key}` } })).json();

    // (c) bulk export vs raw COPY … TO of the same columns.
    const count = () => { let lines = 0; return { sink: new Writable({ write(chunk: Buffer, _e, done) { for (const byte of chunk) if (byte === 10) lines++; done(); } }), lines: () => lines }; };
    const raw = count();
    let t = Date.now();
    await pipeline(pgc.query(copyTo(`COPY (SELECT ${bareCols.map((c) => `"${c}"`).join(', ')} FROM pool."${entry.table_name}" WHERE NOT _deleted ORDER BY _row_id) TO STDOUT WITH (FORMAT csv)`)), raw.sink);
    const rawSecs = (Date.now() - t) / 1000;
    const exp = count();
    t = Date.now();
    const res = await fetch(`${server.base}/api/v1/channels/${channelId}/export?format=csv`, { headers: { authorization: `Bearer ${key}` } });
    await pipeline(res.body as unknown as NodeJS.ReadableStream, exp.sink);
    const expSecs = (Date.now() - t) / 1000;
    await pgc.end();

    const rps = (r: autocannon.Result) => r.requests.average;
    say('');
    say(`sample masked row: ${JSON.stringify(sample.items[0])}`);
    say(`(a) bare Fastify + pg, same indexed query : ${rps(a).toFixed(0)} req/s, p50 ${a.latency.p50} ms, p99 ${a.latency.p99} ms, errors ${a.errors + a.non2xx}`);
    say(`    ${cpu.get(a)}`);
    say(`(b) gongshu channel read by identifier     : ${rps(b).toFixed(0)} req/s, p50 ${b.latency.p50} ms, p99 ${b.latency.p99} ms, errors ${b.errors + b.non2xx}`);
    say(`    ${cpu.get(b)}`);
    say(`    ratio b/a                              : ${(rps(b) / rps(a)).toFixed(2)}  (target ≥ 0.7, p99 < 50 ms)`);
    say(`    audit ledger entries written during (b): ${(ledgerAfter - ledgerBefore).toLocaleString()} for ${b.requests.total.toLocaleString()} requests`);
    say(`(c) export CSV ${(exp.lines() - 1).toLocaleString()} rows: ${((exp.lines() - 1) / expSecs).toFixed(0)} rows/s; raw COPY ${raw.lines().toLocaleString()} rows: ${(raw.lines() / rawSecs).toFixed(0)} rows/s; ratio ${(((exp.lines() - 1) / expSecs) / (raw.lines() / rawSecs)).toFixed(2)} (target ≥ 0.5)`);
    say(`    gongshu peak RSS: ${server.peakRssMb().toFixed(0)} MB`);
  } finally {
    children.forEach((c) => c.kill('SIGTERM'));
    await server.stop();
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
