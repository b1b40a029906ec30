// node --import tsx bench/ab.ts <build>[:NAME=value,…] <build>[:…] … [--rows N --rounds R --slice S
// --connections C] A/B comparison of gongshu builds or settings (environment after the colon) for
// the channel read of bench:share. A build is a copy of dist/ after `npm run build --
// --server-only`, kept in the checkout (e.g. `cp -r dist dist-base`; dist-*/ is ignored) so that it
// finds node_modules. NODE_ARGS=… after the colon passes arguments to node (e.g.
// `dist:NODE_ARGS=--cpu-prof`). Every server runs on one database; rounds alternate between them
// (in turn, then in reverse), so a slow spell of this shared VM falls on all alike. Prints
// requests/s and CPU per request of each server and of PostgreSQL, how busy each server's thread
// was and how idle the machine: on this VM, whole-run figures vary by ±10% from run to run, servers
// compared within one run by ±5%.
import autocannon from 'autocannon';
import { arg, benchDatabase, channelScenario, cpuOf, startGongshu } from './lib.js';

const ROWS = arg('rows', 100_000);
const ROUNDS = arg('rounds', 6);
const SLICE = arg('slice', 4);
const CONNECTIONS = arg('connections', 32);
const specs = process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const say = (s: string) => process.stdout.write(`${s}\n`);

/** A build, with settings after the colon: `dir[:NAME=value,…]` (NODE_ARGS=… goes to node). */
async function start(spec: string, url: string) {
  const [dir, env = ''] = spec.split(':');
  const { NODE_ARGS: nodeArgs = '', ...extra } = Object.fromEntries(
    env
      .split(',')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  return { label: spec, ...(await startGongshu(url, { dir, env: extra, nodeArgs })) };
}

async function main() {
  if (specs.length < 2)
    throw new Error('name at least two builds (or one twice, with different settings)');
  const db = await benchDatabase();
  say(
    `A/B on ${db.label}, ${ROWS.toLocaleString()} rows, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${SLICE} s each`,
  );
  const servers: Awaited<ReturnType<typeof start>>[] = [];
  try {
    // The first server starts on the empty database (migrations, first admin) and sets the scenario
    // up.
    servers.push(await start(specs[0], db.url));
    const { pgc, channelId, key, ids } = await channelScenario(servers[0], db.url, ROWS, say);
    await pgc.end();
    for (const spec of specs.slice(1)) servers.push(await start(spec, db.url));

    const totals = servers.map(() => ({
      requests: 0,
      seconds: 0,
      server: 0,
      postgres: 0,
      p99: 0,
      errors: 0,
      idle: 0,
      ticks: 0,
    }));
    const run = async (i: number, seconds: number, count: boolean) => {
      let n = 0;
      let r!: autocannon.Result;
      const cpu = await cpuOf(
        servers[i].child.pid!,
        () =>
          new Promise<void>((resolve, reject) =>
            autocannon(
              {
                url: servers[i].base,
                connections: CONNECTIONS,
                duration: seconds,
                headers: { authorization: `Bearer ${key}` },
                requests: [
                  {
                    setupRequest: (req) => ({
                      ...req,
                      path: `/api/v1/channels/${channelId}/records?uscc=${ids[n++ % ids.length]}`,
                    }),
                  },
                ],
              },
              (err, res) => {
                if (err) return reject(err);
                r = res;
                resolve();
              },
            ),
          ),
      );
      if (!count) return;
      const t = totals[i];
      t.requests += r.requests.total;
      t.seconds += seconds;
      t.server += cpu.server;
      t.postgres += cpu.postgres;
      t.idle += cpu.idle;
      t.ticks += cpu.ticks;
      t.p99 = Math.max(t.p99, r.latency.p99);
      t.errors += r.errors + r.non2xx;
    };
    // JIT, connections, prepared statements
    for (let i = 0; i < servers.length; i++) await run(i, 4, false);
    for (let round = 0; round < ROUNDS; round++) {
      const order = servers.map((_, i) => i);
      for (const i of round % 2 ? order.reverse() : order) await run(i, SLICE, true);
    }
    totals.forEach((t, i) => {
      say(
        `${servers[i].label}: ${(t.requests / t.seconds).toFixed(0)} req/s, CPU per request: server ${((t.server / t.requests) * 1e6).toFixed(1)} µs, PostgreSQL ${((t.postgres / t.requests) * 1e6).toFixed(1)} µs; p99 ${t.p99} ms (worst round), server busy ${(t.server / t.seconds).toFixed(2)} of a core, cores idle ${((t.idle / t.ticks) * 100).toFixed(0)}%, errors ${t.errors}`,
      );
    });
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
