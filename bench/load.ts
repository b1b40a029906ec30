// npm run bench:load [-- --seconds S --connections C --signin-rate R] The demo deployment under
// a mixed load (autocannon, default 100 connections for 60 s, after a 5 s warm-up): people
// searching the catalog (60% of the connections, with the sessions of the demo's 28 users), machine
// clients reading channels by identifier and by page (36%, with 40 API keys of 税务局 and 人社局), and
// sign-ins (4%, paced at R a second, default 10). Prints requests/s, p50 and p99 latency per kind,
// errors, and answers other than 2xx (429s apart). Runs on DATABASE_URL's server when set, else on
// an embedded PostgreSQL.
//
// The server runs with the platform's limits as shipped (GONGSHU_RATE_LIMIT 6,000 requests a
// minute per user or client, GONGSHU_LOGIN_RATE_LIMIT 30 sign-ins a minute per address) behind a
// trusted proxy (GONGSHU_TRUST_PROXY=1), and each simulated person or system comes from an address
// of its own (X-Forwarded-For), as they would through a load balancer: the load is spread over
// callers so that none passes its limit. A 429 is then a limit doing its work, counted apart.
import autocannon from 'autocannon';
import pg from 'pg';
import { migrate } from '../src/db/migrate.js';
import { createDb } from '../src/db/pool.js';
import { seedDemo } from '../src/demo/seed.js';
import { arg, benchDatabase, client, cpuOf, startGongshu } from './lib.js';

const SECONDS = arg('seconds', 60);
const CONNECTIONS = arg('connections', 100);
const SIGNIN_RATE = arg('signin-rate', 10);
const WARM_UP = Math.min(5, SECONDS);
const PASSWORD = 'Gongshu@2026';
const DEPARTMENTS = ['gaj', 'scjg', 'rsj', 'swj', 'wjw', 'zrzy', 'jyj', 'jtj'];
const USERS = [
  'admin',
  'reviewer',
  'auditor',
  'operator',
  ...DEPARTMENTS.flatMap((d) => [`${d}.officer`, `${d}.cdo`, `${d}.consumer`]),
];
const TERMS = [
  '企业',
  '人口',
  '社保',
  '登记',
  '学籍',
  '不动产',
  '交通',
  '纳税',
  '医疗',
  '信用 企业',
];
const say = (s: string) => process.stdout.write(`${s}\n`);

/** An address of its own for caller `i` (10.x.y.z), as a load balancer would pass it on. */
const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

interface Kind {
  name: string;
  connections: number;
  overallRate?: number;
  request: (n: number) => {
    path: string;
    method?: 'POST';
    headers: Record<string, string>;
    body?: string;
  };
}

async function main() {
  const db = await benchDatabase();
  say(
    `bench:load on ${db.label}: ${CONNECTIONS} connections × ${SECONDS} s (after ${WARM_UP} s warm-up)`,
  );
  // the demo deployment, loaded before the server starts
  const pool = createDb(db.url, 4);
  const seeded = Date.now();
  await migrate(pool);
  await seedDemo(pool, PASSWORD);
  await pool.end();
  say(`demo deployment loaded in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);
  const server = await startGongshu(db.url, {
    env: {
      GONGSHU_TRUST_PROXY: '1',
      GONGSHU_RATE_LIMIT: process.env.GONGSHU_RATE_LIMIT ?? '',
    },
  });
  try {
    // sessions of every demo user, each signed in from an address of its own
    const cookies: string[] = [];
    for (const [i, username] of USERS.entries()) {
      const res = await fetch(`${server.base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': address(i + 1) },
        body: JSON.stringify({ username, password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status}`);
      cookies.push(res.headers.get('set-cookie')!.split(';')[0]);
    }
    // machine clients of the two bodies that read channels: 20 API keys each
    const readers: { path: (n: number) => string; key: string }[] = [];
    const pgc = new pg.Client({ connectionString: db.url });
    await pgc.connect();
    for (const body of ['swj', 'rsj']) {
      const officer = client(server.base);
      await officer.login(`${body}.officer`, PASSWORD);
      const me = await officer.call('GET', '/api/v1/auth/me');
      const { items } = await officer.call('GET', '/api/v1/channels?status=active');
      const channel = items.find(
        (c: { consumer: { id: string } }) => c.consumer.id === me.organisation.id,
      );
      if (!channel) throw new Error(`no active channel of ${body}`);
      // identifiers to look up: rows of the channel's pool table
      const { rows } = await pgc.query(
        `SELECT p.table_name, f->>'column' AS col, f->>'name' AS name
           FROM channels c JOIN pool_tables p ON p.resource_id = c.resource_id,
                jsonb_array_elements(p.fields) f
          WHERE c.id = $1 AND f->>'name' = (SELECT identifier_field FROM resources WHERE id = c.resource_id)`,
        [channel.id],
      );
      const { table_name, col, name } = rows[0];
      const ids = (
        await pgc.query(
          `SELECT "${col}" AS v FROM pool."${table_name}" ORDER BY _row_id LIMIT 5000`,
        )
      ).rows.map((r) => String(r.v));
      const path = (n: number) =>
        n % 4 === 3
          ? `/api/v1/channels/${channel.id}/records?limit=50`
          : `/api/v1/channels/${channel.id}/records?${name}=${encodeURIComponent(ids[n % ids.length])}`;
      for (let k = 0; k < 20; k++) {
        const { key } = await officer.call('POST', `/api/v1/orgs/${me.organisation.id}/clients`, {
          name: `${body} 前置机 ${k + 1}`,
          roles: ['consumer'],
        });
        readers.push({ path, key });
      }
    }
    await pgc.end();

    const searchConnections = Math.round(CONNECTIONS * 0.6);
    const signinConnections = Math.max(1, Math.round(CONNECTIONS * 0.04));
    const kinds: Kind[] = [
      {
        name: 'catalog search',
        connections: searchConnections,
        request: (n) => ({
          path: `/api/v1/resources?q=${encodeURIComponent(TERMS[n % TERMS.length])}&pageSize=20`,
          headers: {
            cookie: cookies[n % cookies.length],
            'x-forwarded-for': address(1 + (n % cookies.length)),
          },
        }),
      },
      {
        name: 'channel read',
        connections: CONNECTIONS - searchConnections - signinConnections,
        request: (n) => {
          const r = readers[n % readers.length];
          return {
            path: r.path(Math.floor(n / readers.length)),
            headers: {
              authorization: `Bearer ${r.key}`,
              'x-forwarded-for': address(1000 + (n % readers.length)),
            },
          };
        },
      },
      {
        name: 'sign-in',
        connections: signinConnections,
        overallRate: SIGNIN_RATE,
        // 500 addresses in turn: each signs in far less than 30 times a minute
        request: (n) => ({
          path: '/api/v1/auth/login',
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-forwarded-for': address(2000 + (n % 500)),
          },
          body: JSON.stringify({ username: USERS[n % USERS.length], password: PASSWORD }),
        }),
      },
    ];

    const run = (kind: Kind, seconds: number) => {
      let n = 0;
      return new Promise<autocannon.Result>((resolve, reject) =>
        autocannon(
          {
            url: server.base,
            connections: kind.connections,
            duration: seconds,
            ...(kind.overallRate ? { overallRate: kind.overallRate } : {}),
            requests: [{ setupRequest: (req) => ({ ...req, ...kind.request(n++) }) }],
          },
          (err, r) => (err ? reject(err) : resolve(r)),
        ),
      );
    };
    await Promise.all(kinds.map((k) => run(k, WARM_UP)));
    let results: autocannon.Result[] = [];
    const cpu = await cpuOf(server.child.pid!, async () => {
      results = await Promise.all(kinds.map((k) => run(k, SECONDS)));
    });

    say('');
    say(
      `${'kind'.padEnd(15)} ${'conns'.padStart(5)} ${'requests'.padStart(9)} ${'req/s'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(6)} ${'non-2xx'.padStart(7)} ${'429'.padStart(5)}`,
    );
    const total = { requests: 0, errors: 0, non2xx: 0, limited: 0 };
    for (const [i, kind] of kinds.entries()) {
      const r = results[i];
      const codes =
        (r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ??
        {};
      const limited = codes['429']?.count ?? 0;
      total.requests += r.requests.total;
      total.errors += r.errors;
      total.non2xx += r.non2xx - limited;
      total.limited += limited;
      say(
        `${kind.name.padEnd(15)} ${String(kind.connections).padStart(5)} ${String(r.requests.total).padStart(9)} ${(r.requests.total / SECONDS).toFixed(0).padStart(7)} ${String(r.latency.p50).padStart(7)} ${String(r.latency.p99).padStart(7)} ${String(r.errors).padStart(6)} ${String(r.non2xx - limited).padStart(7)} ${String(limited).padStart(5)}`,
      );
      const other = Object.entries(codes).filter(([c]) => !c.startsWith('2'));
      if (other.length)
        say(`${''.padEnd(15)} answers: ${other.map(([c, s]) => `${c} × ${s.count}`).join(', ')}`);
    }
    say(
      `${'all'.padEnd(15)} ${String(CONNECTIONS).padStart(5)} ${String(total.requests).padStart(9)} ${(total.requests / SECONDS).toFixed(0).padStart(7)} ${''.padStart(7)} ${''.padStart(7)} ${String(total.errors).padStart(6)} ${String(total.non2xx).padStart(7)} ${String(total.limited).padStart(5)}`,
    );
    say(
      `errors: connection errors and timeouts (10 s); non-2xx: answers other than 2xx and 429; 429: refused by a rate limit`,
    );
    say(
      `CPU: server busy ${(cpu.server / SECONDS).toFixed(2)} of a core, PostgreSQL ${(cpu.postgres / SECONDS).toFixed(2)}, autocannon ${(cpu.self / SECONDS).toFixed(2)}; cores idle ${((cpu.idle / cpu.ticks) * 100).toFixed(0)}%`,
    );
    say(`gongshu peak RSS: ${server.peakRssMb().toFixed(0)} MB`);
    if (total.errors || total.non2xx) process.exitCode = 1;
  } finally {
    await server.stop();
    await db.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
