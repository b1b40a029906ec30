// npm run security:sqlmap [-- --roles admin,swj.consumer --only '/api/v1/channels/*,/api/v1/audit'
//   --no-bodies --level 5 --risk 3 --threads 4 --jobs 1]
// SQL injection scan on demand (issue 26, item 8; not in CI: hours at level 5). Builds the
// server, starts the demo deployment on a throwaway database (an embedded PostgreSQL in a temporary
// folder, or a new database on DATABASE_URL's server, dropped afterwards), signs in as each demo
// role, reads the OpenAPI document and runs Debian's sqlmap (/usr/bin/sqlmap, or SQLMAP) against
// every query and path parameter of every GET operation, and the JSON body fields of the POST and
// PATCH operations listed in BODIES, with the role's session; path parameters get real ids the
// role can see (from the list routes). A role refused by the route's permission (403 before any
// handler runs) is not scanned there. Prints per operation, parameter and role what sqlmap found,
// then a summary; exits 1 when it found an injection, the server answered 500, or sqlmap is
// missing. --jobs N runs N sqlmap processes at once.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

const SQLMAP = process.env.SQLMAP ?? '/usr/bin/sqlmap';
const PASSWORD = process.env.GONGSHU_DEMO_PASSWORD ?? 'Gongshu@2026';
const argValue = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ROLES = argValue(
  'roles',
  'anonymous,admin,reviewer,auditor,operator,scjg.officer,scjg.cdo,swj.consumer',
).split(',');
/** Operations to scan: paths as the OpenAPI document writes them, a trailing * for a prefix. */
const ONLY = argValue('only', '/api/v1/*').split(',');
const wanted = (template) =>
  ONLY.some((o) => (o.endsWith('*') ? template.startsWith(o.slice(0, -1)) : template === o));
const LEVEL = argValue('level', '5');
const RISK = argValue('risk', '3');
const THREADS = argValue('threads', '4');
const JOBS = Number(argValue('jobs', '1'));
const WITH_BODIES = !process.argv.includes('--no-bodies');
const say = (s) => process.stdout.write(`${s}\n`);
/** sqlmap processes running now. */
const running = new Set();

/**
 * POST and PATCH operations whose JSON body fields are scanned, with a body that passes the schema
 * (`{x}` marks the field under test). Operations that would end the scan's own sessions or revoke
 * its channels (password resets, user changes, sign-out, channel suspension) are left out.
 */
const BODIES = {
  'POST /api/v1/auth/login': { username: 'nobody', password: 'Wrong-pass-1' },
  'POST /api/v1/systems': {
    name: '扫描系统',
    owner: '信息科',
    constructionStage: 'online',
    description: '扫描',
  },
  'PATCH /api/v1/systems/{id}': { description: '扫描', owner: '信息科' },
  'POST /api/v1/datasets': { kind: 'unstructured', name: '扫描数据', description: '扫描' },
  'POST /api/v1/function-data': { duty: '扫描职责', dataName: '扫描数据', description: '扫描' },
  'PATCH /api/v1/resources/{id}': { summary: '扫描修改', comment: '扫描' },
  'POST /api/v1/share-requests': {
    resourceId: '{resource}',
    fields: ['{field}'],
    purpose: '扫描用途',
    scenario: '扫描场景',
    legalBasis: '扫描依据',
    until: '2099-12-31',
    delivery: 'api',
  },
  'POST /api/v1/channels/{id}/verify': { match: { '{field}': '{value}' } },
};

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function main() {
  if (!fs.existsSync(SQLMAP)) {
    console.error(
      `security:sqlmap: sqlmap is not installed at ${SQLMAP}; install Debian's (apt-get install -y sqlmap) or set SQLMAP`,
    );
    process.exit(1);
  }
  const build = spawnSync(process.execPath, ['scripts/build.mjs', '--server-only'], {
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gongshu-sqlmap-'));
  // the embedded PostgreSQL's own user must be able to enter it when we run as root
  fs.chmodSync(work, 0o755);
  let databaseUrl;
  let dropDatabase = async () => {};
  if (process.env.DATABASE_URL) {
    const name = `gongshu_sqlmap_${Date.now()}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const log = fs.openSync(path.join(work, 'server.log'), 'w');
  const server = spawn(process.execPath, ['dist/server/main.js'], {
    env: {
      ...process.env,
      GONGSHU_DEMO: '1',
      GONGSHU_DATA_DIR: path.join(work, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      // sqlmap sends thousands of requests with one session, and its payloads to sign-in: the
      // limits would answer 429 and hide what the payloads do
      GONGSHU_RATE_LIMIT: '0',
      GONGSHU_LOGIN_RATE_LIMIT: '1000000',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '' }),
    },
    stdio: ['ignore', 'pipe', log],
  });
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    fs.writeSync(log, d);
  });
  const stop = async () => {
    if (server.exitCode === null) {
      const exited = new Promise((r) => server.once('exit', r));
      server.kill('SIGTERM');
      await exited;
    }
    await dropDatabase().catch(() => undefined);
  };
  // stopped early: the server, its database and sqlmap's processes go too
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => {
      for (const child of running) child.kill('SIGTERM');
      void stop().finally(() => {
        fs.rmSync(work, { recursive: true, force: true });
        process.exit(130);
      });
    });
  try {
    for (let i = 0; i < 1200 && !out.includes('serving on'); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (!out.includes('serving on')) throw new Error(`the demo did not start:\n${out}`);
    say(
      `security:sqlmap: demo deployment on ${base} (${databaseUrl ? 'DATABASE_URL' : 'embedded'})`,
    );
    await scan(base, work);
  } finally {
    await stop();
    const failures = fs
      .readFileSync(path.join(work, 'server.log'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"request failed"'));
    say(`server answers 500 during the scan: ${failures.length}`);
    for (const l of failures.slice(0, 10)) say(`  ${l.slice(0, 300)}`);
    if (failures.length) process.exitCode = 1;
    fs.rmSync(work, { recursive: true, force: true });
  }
}

async function scan(base, work) {
  const call = async (cookie, method, p, body) => {
    const res = await fetch(`${base}${p}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, cookie: res.headers.get('set-cookie') };
  };
  const doc = (await call(null, 'GET', '/api/openapi.json')).json;

  const results = [];
  const jobs = [];
  for (const role of ROLES) {
    let cookie = null;
    if (role !== 'anonymous') {
      const res = await call(null, 'POST', '/api/v1/auth/login', {
        username: role,
        password: PASSWORD,
      });
      if (res.status !== 200) throw new Error(`sign-in of ${role}: ${res.status}`);
      cookie = res.cookie.split(';')[0];
    }
    const ids = await idsFor(cookie, call);
    for (const [template, ops] of Object.entries(doc.paths)) {
      if (!wanted(template)) continue;
      for (const [method, op] of Object.entries(ops)) {
        const key = `${method.toUpperCase()} ${template}`;
        const bodyTemplate = BODIES[key];
        if (method !== 'get' && !(WITH_BODIES && bodyTemplate)) continue;
        if (template === '/api/v1/auth/login' && role !== 'anonymous') continue;
        if (role === 'anonymous' && template !== '/api/v1/auth/login') continue;
        const params = (op.parameters ?? []).filter((p) => p.in === 'query' || p.in === 'path');
        const pathValues = await pathValuesFor(template, ids, cookie, call);
        if (!pathValues) {
          results.push({ role, key, param: '-', outcome: 'skipped: no object this role sees' });
          continue;
        }
        const query = Object.fromEntries(
          params.filter((p) => p.in === 'query').map((p) => [p.name, sample(p, ids)]),
        );
        Object.assign(query, await extraQuery(template, pathValues, cookie, call));
        const url = (mark) => {
          const p = template.replace(/\{(\w+)\}/g, (_, n) =>
            n === mark
              ? `${encodeURIComponent(pathValues[n])}*`
              : encodeURIComponent(pathValues[n]),
          );
          const qs = new URLSearchParams(query).toString();
          return `${base}${p}${qs ? `?${qs}` : ''}`;
        };
        const body = bodyTemplate
          ? await fillBody(bodyTemplate, key, ids, pathValues, cookie, call)
          : undefined;
        // refused before any handler runs (route permission): parameters never reach the database
        const target = new URL(url());
        const probe = await call(
          cookie,
          method.toUpperCase(),
          target.pathname + target.search,
          body,
        );
        if (
          probe.json?.error?.code === 'UNAUTHENTICATED' ||
          (probe.status === 403 && probe.json?.error?.details?.permission)
        ) {
          results.push({
            role,
            key,
            param: '-',
            outcome: `skipped: ${probe.status} by permission`,
          });
          continue;
        }
        const targets = [
          ...Object.keys(query).map((name) => ({ name, where: 'query' })),
          ...Object.keys(pathValues).map((name) => ({ name, where: 'path' })),
          ...(body ? Object.keys(flatten(body)).map((name) => ({ name, where: 'body' })) : []),
        ];
        for (const t of targets) {
          const args = [
            '--batch',
            `--level=${LEVEL}`,
            `--risk=${RISK}`,
            `--threads=${THREADS}`,
            '--flush-session',
            '--disable-coloring',
            '--ignore-code=*',
            '--skip-waf',
            `--output-dir=${path.join(work, 'sqlmap')}`,
            '--answers=custom injection marker=Y,keep testing others=Y',
            ...(cookie ? [`--cookie=${cookie}`] : []),
          ];
          if (t.where === 'query') args.push('-u', url(), '-p', t.name);
          else if (t.where === 'path') args.push('-u', url(t.name));
          else {
            args.push(
              '-u',
              url(),
              `--method=${method.toUpperCase()}`,
              `--data=${JSON.stringify(markBody(body, t.name))}`,
              '--headers=Content-Type: application/json',
            );
          }
          jobs.push({ role, key, param: `${t.where}:${t.name}`, args });
        }
      }
    }
  }

  // JOBS sqlmap processes at a time
  let next = 0;
  const runOne = async () => {
    for (let job = jobs[next++]; job; job = jobs[next++]) {
      const started = Date.now();
      const text = await new Promise((resolve) => {
        const child = spawn(SQLMAP, job.args, { stdio: ['ignore', 'pipe', 'pipe'] });
        running.add(child);
        let all = '';
        child.stdout.on('data', (d) => {
          all += d;
        });
        child.stderr.on('data', (d) => {
          all += d;
        });
        child.once('close', () => {
          running.delete(child);
          resolve(all);
        });
      });
      const found = /identified the following injection point/.test(text);
      const clean = /do not appear to be injectable|does not seem to be injectable/.test(text);
      const outcome = found
        ? 'INJECTABLE'
        : clean
          ? 'not injectable'
          : `inconclusive: ${(text.match(/\[CRITICAL\][^\n]*/g) ?? ['no verdict']).pop()}`;
      // what the server answered sqlmap's payloads with, as sqlmap counted them
      const codes = /HTTP error codes detected during run:\s*\n?([^\n]*)/.exec(text)?.[1] ?? '';
      results.push({ role: job.role, key: job.key, param: job.param, outcome });
      say(
        `${outcome.padEnd(16)} ${job.key} ${job.param} as ${job.role} (${((Date.now() - started) / 1000).toFixed(0)} s${codes ? `; answers: ${codes}` : ''})`,
      );
      if (found) {
        const at = text.indexOf('identified the following');
        say(text.slice(at, at + 1500));
      }
    }
  };
  await Promise.all(Array.from({ length: JOBS }, runOne));

  const scanned = results.filter((r) => !r.outcome.startsWith('skipped'));
  const ops = new Set(scanned.map((r) => r.key));
  const params = new Set(scanned.map((r) => `${r.key} ${r.param}`));
  const found = scanned.filter((r) => r.outcome === 'INJECTABLE');
  const inconclusive = scanned.filter((r) => r.outcome.startsWith('inconclusive'));
  say('');
  say(
    `summary: ${ops.size} operations, ${params.size} parameters, ${scanned.length} sqlmap runs (level ${LEVEL}, risk ${RISK}) over ${new Set(scanned.map((r) => r.role)).size} roles (${[...new Set(scanned.map((r) => r.role))].join(', ')})`,
  );
  say(
    `         injectable: ${found.length}; not injectable: ${scanned.length - found.length - inconclusive.length}; inconclusive: ${inconclusive.length}; skipped (refused by permission, or nothing to name): ${results.length - scanned.length}`,
  );
  for (const r of [...found, ...inconclusive])
    say(`  ${r.outcome} ${r.key} ${r.param} as ${r.role}`);
  if (found.length) process.exitCode = 1;
}

/** Ids the role sees, from the list routes. */
async function idsFor(cookie, call) {
  const items = async (p, pick = (x) => x.id) => {
    if (!cookie) return [];
    const res = await call(cookie, 'GET', p);
    return res.status === 200 ? (res.json.items ?? []).map(pick) : [];
  };
  return {
    resources: await items('/api/v1/resources?pageSize=200'),
    pooled: await items('/api/v1/pool/resources', (x) => x.resourceId),
    systems: await items('/api/v1/systems'),
    requests: await items('/api/v1/share-requests?pageSize=200'),
    channels: await items('/api/v1/channels?pageSize=200&status=active'),
    users: await items('/api/v1/users?pageSize=200'),
    clients: await items('/api/v1/clients?pageSize=200'),
    orgs: await items('/api/v1/orgs'),
    functionItems: await items('/api/v1/function-data'),
  };
}

const POOL_ROUTES = /\/resources\/\{id\}\/(batches|pool|rows|changes|quality|classification)/;

/** Real values for a path's parameters, as the role sees them; null when it sees none. */
async function pathValuesFor(template, ids, cookie, call) {
  const names = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (!names.length) return {};
  const first = (list) => list[0];
  const segment = template.split('/')[3];
  let id;
  if (segment === 'resources') id = first(POOL_ROUTES.test(template) ? ids.pooled : ids.resources);
  else if (segment === 'batches') {
    for (const r of ids.pooled) {
      const res = await call(cookie, 'GET', `/api/v1/resources/${r}/batches`);
      id = res.json?.items?.[0]?.id;
      if (id) break;
    }
  } else if (segment === 'systems') id = first(ids.systems);
  else if (segment === 'share-requests') id = first(ids.requests);
  else if (segment === 'channels') id = first(ids.channels);
  else if (segment === 'users') id = first(ids.users);
  else if (segment === 'clients') id = first(ids.clients);
  else if (segment === 'orgs') id = first(ids.orgs);
  else if (segment === 'function-data') id = first(ids.functionItems);
  const values = {};
  for (const n of names) {
    if (n === 'id') values.id = id;
    else if (n === 'day') values.day = '2026-10-01';
    else if (n === 'tableId') {
      const res = await call(cookie, 'GET', `/api/v1/systems/${id}/tables`);
      values.tableId = res.json?.items?.[0]?.id;
    } else if (n === 'field') {
      const res = await call(cookie, 'GET', `/api/v1/resources/${id}/classification`);
      values.field = res.json?.items?.[0]?.field;
    }
  }
  return Object.values(values).every(Boolean) ? values : null;
}

/** A channel's records take a filter per field: one exact and one range, on its first field. */
async function extraQuery(template, pathValues, cookie, call) {
  if (template !== '/api/v1/channels/{id}/records') return {};
  const { field, value } = await channelSample(pathValues.id, cookie, call);
  return { [field]: value, [`${field}.gte`]: value };
}

/** A value a query parameter's schema takes. */
function sample(p, ids) {
  const s = p.schema ?? {};
  if (s.enum) return String(s.enum[0]);
  if (s.type === 'boolean') return 'true';
  if (s.type === 'integer' || s.type === 'number') return String(s.default ?? s.minimum ?? 1);
  if (s.format === 'uuid') return ids.orgs[0] ?? '00000000-0000-4000-8000-000000000000';
  if (s.format === 'date') return '2026-01-05';
  if (s.format === 'date-time') return '2026-01-05T00:00:00Z';
  if (p.name === 'q' || p.name === 'name') return '企业';
  if (p.name === 'since' || p.name === 'cursor') return '0';
  if (p.name === 'limit') return '10';
  if (p.name === 'fields') return '';
  return 'x';
}

/**
 * A body for `key` that reaches the database: a request names another body's published entry and
 * its identifier; a verification names the channel's first field and a value it holds.
 */
async function fillBody(template, key, ids, pathValues, cookie, call) {
  let resource = '';
  let field = 'x';
  let value = 'x';
  if (key === 'POST /api/v1/share-requests') {
    const me = (await call(cookie, 'GET', '/api/v1/auth/me')).json;
    for (const id of ids.resources) {
      const r = (await call(cookie, 'GET', `/api/v1/resources/${id}`)).json;
      if (
        r?.status === 'published' &&
        r.providerOrgId !== me?.organisation?.id &&
        r.identifierField
      ) {
        resource = id;
        field = r.identifierField;
        break;
      }
    }
  }
  if (key === 'POST /api/v1/channels/{id}/verify')
    ({ field, value } = await channelSample(pathValues.id, cookie, call));
  return JSON.parse(
    JSON.stringify(template)
      .replaceAll('{resource}', resource)
      .replaceAll('{field}', field)
      .replaceAll('{value}', value),
  );
}

/** A channel's first field and a value of it the role can read. */
async function channelSample(id, cookie, call) {
  const channel = (await call(cookie, 'GET', `/api/v1/channels/${id}`)).json;
  const field = channel?.fields?.[0] ?? 'x';
  const row = (await call(cookie, 'GET', `/api/v1/channels/${id}/records?limit=1`)).json
    ?.items?.[0];
  return { field, value: String(row?.[field] ?? '1') };
}

/** The body's string fields by dotted name. */
function flatten(body, prefix = '') {
  const out = {};
  for (const [k, v] of Object.entries(body)) {
    const name = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out[name] = v;
    else if (v && typeof v === 'object' && !Array.isArray(v)) Object.assign(out, flatten(v, name));
  }
  return out;
}

/** The body with sqlmap's injection mark after the value of `name`. */
function markBody(body, name) {
  const copy = structuredClone(body);
  const parts = name.split('.');
  let at = copy;
  for (const p of parts.slice(0, -1)) at = at[p];
  at[parts.at(-1)] = `${at[parts.at(-1)]}*`;
  return copy;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
