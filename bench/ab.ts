// node --import tsx bench/ab.ts <build>[:NAME=value,…] <build>[:…] … [--rows N --rounds R --slice S --connections C]
// A/B comparison of gongshu builds or settings (environment after the colon) for the channel read of
// bench:share. A build is a copy of dist/ after `npm run build -- --server-only`, kept in the checkout
// (e.g. `cp -r dist dist-base`; dist-*/ is ignored) so that it finds node_modules. NODE_ARGS=… after
// the colon passes arguments to node (e.g. `dist:NODE_ARGS=--cpu-prof`).
// Every server runs on one database; rounds alternate between them (in turn, then in reverse), so a
// slow spell of this shared VM falls on all alike. Prints requests/s and CPU per request of each
// server and of PostgreSQL, how busy each server's thread was and how idle the machine: on this VM,
// whole-run figures vary by ±10% from run to run, servers compared within one run by ±5%.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { arg, benchDatabase, channelScenario, cpuSeconds, freePort, machineTicks } from './lib.js';

const ROWS = arg('rows', 100_000);
const ROUNDS = arg('rounds', 6);
const SLICE = arg('slice', 4);
const CONNECTIONS = arg('connections', 32);
const specs = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const say = (s: string) => process.stdout.write(`${s}\n`);

interface Server { label: string; base: string; password: string; child: ChildProcess }

async function start(spec: string, url: string): Promise<Server> {
  const [dir, env = ''] = spec.split(':');
  const { NODE_ARGS: nodeArgs = '', ...extra } = Object.fromEntries(env.split(',').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs.split(' ').filter(Boolean), path.join(dir, 'server/main.js')], {
    env: { ...process.env, ...extra, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', GONGSHU_DEMO: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => { out += d; });
  for (let i = 0; i < 300 && !out.includes('serving on'); i++) await new Promise((r) => setTimeout(r, 100));
  if (!out.includes('serving on')) throw new Error(`${spec} did not start:\n${out}`);
  return { label: spec, base: `http://127.0.0.1:${port}`, password: /password: (\S+)/.exec(out)?.[1] ?? '', child };
}

async function main() {
  if (specs.length < 2) throw new Error('name at least two builds (or one twice, with different settings)');
  const db = await benchDatabase();
  say(`A/B on ${db.label}, ${ROWS.toLocaleString()} rows, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SLICE} s each`);
  const servers: Server[] = [];
  try {
    // The first server starts on the empty database (migrations, first admin) and sets the scenario up.
    servers.push(await start(specs[0], db.url));
    const { pgc, channelId, key, ids } = await channelScenario(servers[0], db.url, ROWS, say);
    await pgc.end();
    for (const spec of specs.slice(1)) servers.push(await start(spec, db.url));

    const totals = servers.map(() => ({ requests: 0, seconds: 0, server: 0, postgres: 0, p99: 0, errors: 0, idle: 0, ticks: 0 }));
    const run = async (i: number, seconds: number, count: boolean) => {
      let n = 0;
      const pid = servers[i].child.pid!;
      const before = [cpuSeconds(pid), cpuSeconds('postgres')];
      const machine = machineTicks();
      const r = await new Promise<autocannon.Result>((resolve, reject) => autocannon({
        url: servers[i].base, connections: CONNECTIONS, duration: seconds, headers: { authorization: `Bearer ${key}` },
        requests: [{ setupRequest: (req) => ({ ...req, path: `/api/v1/channels/${channelId}/records?uscc=${ids[n++ % ids.length]}` }) }],
      }, (err, res) => (err ? reject(err) : resolve(res))));
      if (!count) return;
      const t = totals[i];
      t.requests += r.requests.total;
      t.seconds += seconds;
      t.server += cpuSeconds(pid) - before[0];
      t.postgres += cpuSeconds('postgres') - before[1];
      const after = machineTicks();
      t.idle += after.idle - machine.idle;
      t.ticks += after.total - machine.total;
      t.p99 = Math.max(t.p99, r.latency.p99);
      t.errors += r.errors + r.non2xx;
    };
    for (let i = 0; i < servers.length; i++) await run(i, 4, false); // JIT, connections, prepared statements
    for (let round = 0; round < ROUNDS; round++) {
      const order = servers.map((_, i) => i);
      for (const i of round % 2 ? order.reverse() : order) await run(i, SLICE, true);
    }
    totals.forEach((t, i) => say(`${servers[i].label}: ${(t.requests / t.seconds).toFixed(0)} req/s, CPU per request: server ${((t.server / t.requests) * 1e6).toFixed(1)} µs, PostgreSQL ${((t.postgres / t.requests) * 1e6).toFixed(1)} µs; p99 ${t.p99} ms (worst round), server busy ${(t.server / t.seconds).toFixed(2)} of a core, cores idle ${((t.idle / t.ticks) * 100).toFixed(0)}%, errors ${t.errors}`));
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => { s.child.once('exit', resolve); s.child.kill('SIGTERM'); })));
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
