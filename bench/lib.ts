// Helpers the benchmarks share: a database to run on, a gongshu server as a child process.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startEmbedded, type EmbeddedServer } from '../src/db/embedded.js';
import { ENTERPRISE_FIELDS, enterprise, enterpriseCsv } from './enterprises.js';
import { makeUscc, orgCodeCheckChar } from '../src/lib/check-digits.js';

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A fresh database on DATABASE_URL's server, or on an embedded PostgreSQL started for the run. */
export async function benchDatabase(): Promise<{
  url: string;
  label: string;
  close(): Promise<void>;
}> {
  let embedded: EmbeddedServer | undefined;
  let dir: string | undefined;
  let admin = process.env.DATABASE_URL;
  if (!admin) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongshu-bench-'));
    fs.chmodSync(dir, 0o755);
    embedded = await startEmbedded(dir);
    admin = embedded.url;
  }
  const name = `gongshu_bench_${Date.now()}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const version = (await c.query('SHOW server_version')).rows[0].server_version;
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    label: `${embedded ? 'embedded' : 'external'} PostgreSQL ${version}`,
    async close() {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
      await embedded?.stop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Starts a built gongshu server (`dir`, default dist/) on `url` with `env` added to its
 * environment; resolves with its address and the first admin's password (empty if the database had
 * one). `nodeArgs` (default: BENCH_NODE_ARGS, e.g. --cpu-prof) go to node, to profile the server
 * under load. The per-caller request limit is off unless `env` sets GONGSHU_RATE_LIMIT: the
 * benchmarks drive one API key far past what one client may do.
 */
export async function startGongshu(
  url: string,
  {
    dir = 'dist',
    env = {},
    nodeArgs = process.env.BENCH_NODE_ARGS ?? '',
  }: { dir?: string; env?: Record<string, string>; nodeArgs?: string } = {},
): Promise<{
  base: string;
  password: string;
  child: ChildProcess;
  peakRssMb(): number;
  stop(): Promise<void>;
}> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...nodeArgs.split(' ').filter(Boolean), path.join(dir, 'server/main.js')],
    {
      env: {
        ...process.env,
        GONGSHU_RATE_LIMIT: '0',
        ...env,
        DATABASE_URL: url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        GONGSHU_DEMO: '',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d) => {
    out += d;
  });
  for (let i = 0; i < 300 && !out.includes('serving on'); i++)
    await new Promise((r) => setTimeout(r, 100));
  if (!out.includes('serving on')) {
    child.kill('SIGKILL');
    throw new Error(`gongshu (${dir}) did not start:\n${out}`);
  }
  return {
    // the first admin's password is printed only by a server that found the database empty
    base: `http://127.0.0.1:${port}`,
    password: /password: (\S+)/.exec(out)?.[1] ?? '',
    child,
    peakRssMb: () =>
      Number(
        /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0,
      ) / 1024,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A small JSON client for setting a scenario up through the API, as a user would. */
export function client(base: string) {
  let cookie = '';
  const call = async (
    method: string,
    p: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: { 'content-type': 'application/json', cookie, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0];
    const json = await res.json().catch(() => null);
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  return {
    call,
    login: (username: string, password: string) =>
      call('POST', '/api/v1/auth/login', { username, password }),
  };
}

/** A valid 统一社会信用代码 for bench body `n`. */
export const benchOrgCode = (n: number): string => {
  const b = String(80000000 + n);
  return makeUscc(`11440300${b}${orgCodeCheckChar(b)}`);
};
export const BENCH_PASSWORD = 'Bench-pass-1';

/**
 * The benchmarks' common scenario, set up through the API as a deployment would: the market
 * regulator (市场监督管理局) publishes 市场主体登记信息 with `fields` (officer submits, reviewer approves, admin
 * publishes). Returns the admin's client, the authority's id, the provider and the entry.
 */
export async function publishedRegistry(
  server: { base: string; password: string },
  fields: unknown[],
) {
  const admin = client(server.base);
  await admin.login('admin', server.password);
  const me = await admin.call('GET', '/api/v1/auth/me');
  const authorityId: string = me.organisation.id;
  const provider = await admin.call('POST', '/api/v1/orgs', {
    name: '市场监督管理局',
    code: benchOrgCode(1),
    type: 'department',
    parentId: authorityId,
  });
  await admin.call('POST', '/api/v1/users', {
    orgId: provider.id,
    username: 'scjg.officer',
    displayName: '数据专员',
    password: BENCH_PASSWORD,
    roles: ['officer'],
  });
  await admin.call('POST', '/api/v1/users', {
    orgId: authorityId,
    username: 'reviewer',
    displayName: '审核员',
    password: BENCH_PASSWORD,
    roles: ['reviewer'],
  });
  const officer = client(server.base);
  await officer.login('scjg.officer', BENCH_PASSWORD);
  const resource = await officer.call('POST', '/api/v1/resources', {
    name: '市场主体登记信息',
    summary: '全市市场主体的登记信息',
    categoryCode: '0102',
    identifierKind: 'uscc',
    identifierField: 'uscc',
    shareType: 'unconditional',
    openType: 'not_open',
    securityLevel: 'general',
    updateFrequency: 'daily',
    keywords: ['企业', '登记'],
    fields,
  });
  await officer.call('POST', `/api/v1/resources/${resource.id}/submit`, {});
  const reviewer = client(server.base);
  await reviewer.login('reviewer', BENCH_PASSWORD);
  await reviewer.call('POST', `/api/v1/resources/${resource.id}/approve`, {});
  await admin.call('POST', `/api/v1/resources/${resource.id}/publish`, {});
  return { admin, authorityId, provider, resource };
}

/**
 * CPU seconds (user + system) used so far by the process `pid`, or by every `postgres` process on
 * this machine (counting the reaped children of each, so backends that ended still count).
 */
export function cpuSeconds(pid: number | 'postgres', only?: 'system'): number {
  const ticks = (stat: string) => {
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    if (only) return f[12];
    return f[11] + f[12] + (pid === 'postgres' ? f[13] + f[14] : 0);
  };
  if (pid !== 'postgres') return ticks(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')) / 100;
  let sum = 0;
  for (const p of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      if (stat.includes('(postgres)')) sum += ticks(stat);
    } catch {
      /* gone */
    }
  }
  return sum / 100;
}

/**
 * CPU seconds `work` costs: the server process `pid` (and its system share), PostgreSQL, this
 * process; and the machine's idle and total clock ticks meanwhile.
 */
export async function cpuOf(pid: number, work: () => Promise<unknown>) {
  const before = [
    cpuSeconds(pid),
    cpuSeconds(pid, 'system'),
    cpuSeconds('postgres'),
    process.cpuUsage(),
    machineTicks(),
  ] as const;
  await work();
  const self = process.cpuUsage(before[3]);
  const machine = machineTicks();
  return {
    server: cpuSeconds(pid) - before[0],
    system: cpuSeconds(pid, 'system') - before[1],
    postgres: cpuSeconds('postgres') - before[2],
    self: (self.user + self.system) / 1e6,
    idle: machine.idle - before[4].idle,
    ticks: machine.total - before[4].total,
  };
}

/**
 * The machine's CPU time so far, idle (with I/O wait) and in all, in clock ticks: for the share of
 * the cores a run left idle.
 */
export function machineTicks(): { idle: number; total: number } {
  const f = fs
    .readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  return { idle: f[3] + f[4], total: f.reduce((a, b) => a + b, 0) };
}

/**
 * The channel the share benchmarks read: 8 of the registry's 20 fields, masking on legal_rep, phone
 * and address.
 */
export const CHANNEL_FIELDS = [
  'uscc',
  'name',
  'legal_rep',
  'phone',
  'address',
  'status',
  'industry',
  'reg_capital',
];

/**
 * The share benchmarks' scenario on a fresh gongshu: 市场主体登记信息 published with `rows` rows (COPY
 * straight into the pool table; the ingest benchmark measures loading), 税务局 granted a channel of
 * CHANNEL_FIELDS through request, approval and agreement, and an API key of 税务局. Returns an open
 * client on the database, the pool table, the channel, the key and identifiers to read.
 */
export async function channelScenario(
  server: { base: string; password: string },
  url: string,
  rows: number,
  say: (line: string) => void,
) {
  const { admin, authorityId, resource } = await publishedRegistry(server, ENTERPRISE_FIELDS);
  const consumer = await admin.call('POST', '/api/v1/orgs', {
    name: '税务局',
    code: benchOrgCode(2),
    type: 'department',
    parentId: authorityId,
  });
  await admin.call('POST', '/api/v1/users', {
    orgId: consumer.id,
    username: 'swj.consumer',
    displayName: '业务人员',
    password: BENCH_PASSWORD,
    roles: ['consumer'],
  });

  const pgc = new pg.Client({ connectionString: url });
  await pgc.connect();
  const {
    rows: [entry],
  } = await pgc.query<{ table_name: string; fields: { name: string; column: string }[] }>(
    'SELECT table_name, fields FROM pool_tables WHERE resource_id = $1',
    [resource.id],
  );
  const columns = entry.fields.map((f) => f.column);
  const t0 = Date.now();
  await pipeline(
    enterpriseCsv(rows, false, crypto.randomUUID()),
    pgc.query(
      copyFrom(
        `COPY pool."${entry.table_name}" (${columns.map((c) => `"${c}"`).join(',')}, _batch_id) FROM STDIN WITH (FORMAT csv)`,
      ),
    ),
  );
  say(`loaded ${rows.toLocaleString()} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // Settled, as a table is once autovacuum has been by: otherwise whichever of two scans runs first
  // sets every row's hint bits, and the figures depend on whether autovacuum got there first.
  await pgc.query(`VACUUM (ANALYZE) pool."${entry.table_name}"`);

  const tax = client(server.base);
  await tax.login('swj.consumer', BENCH_PASSWORD);
  const request = await tax.call('POST', '/api/v1/share-requests', {
    resourceId: resource.id,
    fields: CHANNEL_FIELDS,
    purpose: '税源管理',
    scenario: '企业登记信息比对',
    legalBasis: '《税收征收管理法》第十五条',
    until: '2099-12-31',
    delivery: 'export',
  });
  await admin.call('POST', `/api/v1/share-requests/${request.id}/decisions`, {
    decision: 'approve',
  });
  const { channelId } = await tax.call('POST', `/api/v1/share-requests/${request.id}/agreement`, {
    accept: true,
  });
  const { key } = await admin.call('POST', `/api/v1/orgs/${consumer.id}/clients`, {
    name: '税务前置机',
    roles: ['consumer'],
  });
  const ids = Array.from(
    { length: 20_000 },
    (_, i) => enterprise(Math.floor((i * 48271) % rows))[0],
  );
  return { pgc, entry, channelId: channelId as string, key: key as string, ids };
}
