// npm run bench:share [-- --rows N --duration S --connections C --rounds R] Loads N enterprise rows
// (default 1,000,000), opens a channel with 8 of 20 fields and masking on 3, then measures with
// autocannon: (a) a bare Fastify + pg route doing the same indexed query — the ceiling; (b)
// gongshu's channel read by identifier (API key, scope, masking, group-committed audit); (c) the
// channel's bulk CSV export in rows/s against raw COPY … TO of the same columns. Runs on
// DATABASE_URL's server when set, else on an embedded PostgreSQL.
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import autocannon from 'autocannon';
import { to as copyTo } from 'pg-copy-streams';
import {
  arg,
  benchDatabase,
  CHANNEL_FIELDS,
  channelScenario,
  cpuOf,
  freePort,
  startGongshu,
} from './lib.js';

const ROWS = arg('rows', 1_000_000);
const DURATION = arg('duration', 20);
const CONNECTIONS = arg('connections', 32);
const ROUNDS = arg('rounds', 4);
const say = (s: string) => process.stdout.write(`${s}\n`);

async function main() {
  const db = await benchDatabase();
  say(
    `bench:share on ${db.label}, ${ROWS.toLocaleString()} rows, ${CONNECTIONS} connections × ${DURATION} s`,
  );
  const server = await startGongshu(db.url);
  const children: ReturnType<typeof spawn>[] = [];
  try {
    const { pgc, entry, channelId, key, ids } = await channelScenario(server, db.url, ROWS, say);
    const bareCols = CHANNEL_FIELDS.map((n) => entry.fields.find((f) => f.name === n)!.column);
    const idCol = bareCols[0];
    const barePort = await freePort();
    const bare = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'bench/bare-server.ts',
        db.url,
        entry.table_name,
        idCol,
        String(barePort),
        ...bareCols,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(bare);
    await new Promise((r) => bare.stdout!.once('data', r));

    // (a) and (b) take turns, ROUNDS times DURATION/ROUNDS seconds each, so a slow spell of this
    // machine (a shared VM) falls on both alike; figures are totals over the rounds. Where the CPU
    // goes, per request: the server process, PostgreSQL (all its processes), the load generator.
    interface Totals {
      requests: number;
      seconds: number;
      errors: number;
      p50: number[];
      p99: number[];
      server: number;
      system: number;
      postgres: number;
      self: number;
      idle: number;
      ticks: number;
    }
    const totals = (): Totals => ({
      requests: 0,
      seconds: 0,
      errors: 0,
      p50: [],
      p99: [],
      server: 0,
      system: 0,
      postgres: 0,
      self: 0,
      idle: 0,
      ticks: 0,
    });
    const run = async (
      into: Totals | null,
      seconds: number,
      url: string,
      path: (id: string) => string,
      headers: Record<string, string> = {},
      serverPid = bare.pid!,
    ) => {
      let n = 0;
      let result: autocannon.Result | undefined;
      const cpu = await cpuOf(
        serverPid,
        () =>
          new Promise<void>((resolve, reject) =>
            autocannon(
              {
                url,
                connections: CONNECTIONS,
                duration: seconds,
                headers,
                requests: [
                  { setupRequest: (req) => ({ ...req, path: path(ids[n++ % ids.length]) }) },
                ],
              },
              (err, r) => {
                if (err) return reject(err);
                result = r;
                resolve();
              },
            ),
          ),
      );
      if (!into || !result) return;
      into.requests += result.requests.total;
      into.seconds += seconds;
      into.errors += result.errors + result.non2xx;
      into.p50.push(result.latency.p50);
      into.p99.push(result.latency.p99);
      into.server += cpu.server;
      into.system += cpu.system;
      into.postgres += cpu.postgres;
      into.self += cpu.self;
      into.idle += cpu.idle;
      into.ticks += cpu.ticks;
    };
    const bareRead = [`http://127.0.0.1:${barePort}`, (id: string) => `/e/${id}`] as const;
    const channelRead = [
      server.base,
      (id: string) => `/api/v1/channels/${channelId}/records?uscc=${id}`,
      { authorization: `Bearer ${key}` },
      server.child.pid!,
    ] as const;
    // Warm both up (JIT, connections, prepared statements).
    const warm = Math.min(5, DURATION);
    await run(null, warm, ...bareRead);
    await run(null, warm, ...channelRead);
    const ledgerBefore = Number((await pgc.query('SELECT seq FROM audit_head')).rows[0].seq);
    const a = totals();
    const b = totals();
    const slice = Math.max(1, Math.round(DURATION / ROUNDS));
    for (let round = 0; round < ROUNDS; round++) {
      await run(a, slice, ...bareRead);
      await run(b, slice, ...channelRead);
    }
    const ledgerAfter = Number((await pgc.query('SELECT seq FROM audit_head')).rows[0].seq);
    const sample = await (
      await fetch(`${server.base}/api/v1/channels/${channelId}/records?uscc=${ids[0]}`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json();

    // (c) bulk export vs raw COPY … TO of the same columns. Counts lines as they arrive (indexOf,
    // not a loop over bytes: the counting must not be what is measured).
    const count = () => {
      let lines = 0;
      const sink = new Writable({
        write(chunk: Buffer, _e, done) {
          for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
          done();
        },
      });
      return { sink, lines: () => lines };
    };
    // Each is run twice, in the order raw, export, export, raw, so a slow spell falls on both
    // alike.
    interface Copy {
      rows: number;
      secs: number;
      server: number;
      postgres: number;
      self: number;
    }
    const timed = async (
      into: Copy,
      work: (sink: Writable) => Promise<unknown>,
      header: number,
    ) => {
      const c = count();
      const t = Date.now();
      const cpu = await cpuOf(server.child.pid!, () => work(c.sink));
      into.secs += (Date.now() - t) / 1000;
      into.rows += c.lines() - header;
      into.server += cpu.server;
      into.postgres += cpu.postgres;
      into.self += cpu.self;
    };
    const copy = (): Copy => ({ rows: 0, secs: 0, server: 0, postgres: 0, self: 0 });
    const raw = copy();
    const exp = copy();
    const rawCopy = () =>
      timed(
        raw,
        (sink) =>
          pipeline(
            pgc.query(
              copyTo(
                `COPY (SELECT ${bareCols.map((c) => `"${c}"`).join(', ')} FROM pool."${entry.table_name}" WHERE NOT _deleted ORDER BY _row_id) TO STDOUT WITH (FORMAT csv)`,
              ),
            ),
            sink,
          ),
        0,
      );
    const exportCsv = () =>
      timed(
        exp,
        async (sink) => {
          const res = await fetch(`${server.base}/api/v1/channels/${channelId}/export?format=csv`, {
            headers: { authorization: `Bearer ${key}` },
          });
          await pipeline(res.body as unknown as NodeJS.ReadableStream, sink);
        },
        1,
      );
    await rawCopy();
    await exportCsv();
    await exportCsv();
    await rawCopy();
    await pgc.end();

    const rps = (t: Totals) => t.requests / t.seconds;
    const us = (secs: number, t: Totals) => `${((secs * 1e6) / t.requests).toFixed(0)} µs`;
    const line = (t: Totals) =>
      `${rps(t).toFixed(0)} req/s, p50 ${Math.max(...t.p50)} ms, p99 ${Math.max(...t.p99)} ms (worst round), errors ${t.errors}`;
    // The server process's busy share of one core, and the share of the machine's cores nobody
    // used: a server whose one thread is the bottleneck leaves cores idle that a faster one would
    // fill.
    const cpu = (t: Totals) =>
      `CPU per request: server ${us(t.server, t)} (system ${us(t.system, t)}), PostgreSQL ${us(t.postgres, t)}, autocannon ${us(t.self, t)}; ` +
      `server busy ${(t.server / t.seconds).toFixed(2)} of a core, cores idle ${((t.idle / t.ticks) * 100).toFixed(0)}%`;
    say('');
    say(`sample masked row: ${JSON.stringify(sample.items[0])}`);
    say(`${ROUNDS} rounds of ${slice} s each, (a) and (b) in turn:`);
    say(`(a) bare Fastify + pg, same indexed query : ${line(a)}`);
    say(`    ${cpu(a)}`);
    say(`(b) gongshu channel read by identifier     : ${line(b)}`);
    say(`    ${cpu(b)}`);
    say(
      `    ratio b/a                              : ${(rps(b) / rps(a)).toFixed(2)}  (target ≥ 0.7, p99 < 50 ms)`,
    );
    say(
      `    audit ledger entries written during (b): ${(ledgerAfter - ledgerBefore).toLocaleString()} for ${b.requests.toLocaleString()} requests`,
    );
    const rate = (c: Copy) => c.rows / c.secs;
    say(
      `(c) export CSV of ${(exp.rows / 2).toLocaleString()} rows, twice: ${rate(exp).toFixed(0)} rows/s; raw COPY, twice: ${rate(raw).toFixed(0)} rows/s; ratio ${(rate(exp) / rate(raw)).toFixed(2)} (target ≥ 0.5)`,
    );
    // CPU seconds per million rows: the gongshu server, PostgreSQL, this process (the reader).
    const perMillion = (secs: number, rows: number) => `${((secs * 1e6) / rows).toFixed(2)} s`;
    say(
      `    CPU per million rows: export — server ${perMillion(exp.server, exp.rows)}, PostgreSQL ${perMillion(exp.postgres, exp.rows)}, reader ${perMillion(exp.self, exp.rows)}; raw COPY — PostgreSQL ${perMillion(raw.postgres, raw.rows)}, reader ${perMillion(raw.self, raw.rows)}`,
    );
    say(`    gongshu peak RSS: ${server.peakRssMb().toFixed(0)} MB`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await server.stop();
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
