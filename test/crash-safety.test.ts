import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startEmbedded, type EmbeddedServer } from '../src/db/embedded.js';
import { migrate } from '../src/db/migrate.js';
import { createDb } from '../src/db/pool.js';
import { buildApp } from '../src/server/app.js';
import { loadConfig } from '../src/server/config.js';
import { enterprise, enterpriseCsv, enterpriseResource, poolResource } from './factories/pool.js';
import { person, publishedResource, sharingCast } from './factories/sharing.js';
import { buildOrg, buildUser, login, type TestContext } from './helpers.js';

// A PostgreSQL of this file's own, killed with SIGKILL — the postmaster and every backend at one
// instant, as a power cut would stop them — while the platform commits, then started again on
// the same data. Only the embedded server can be killed, so this runs in the embedded leg only.
const skip = inject('dbLeg') === 'external' || process.platform !== 'linux';

let dir: string;
let server: EmbeddedServer;

/** The platform on `server`, as a test context (the factories take one). */
async function platform(): Promise<TestContext> {
  const db = createDb(server.url, 10);
  await migrate(db);
  const config = Object.freeze({ ...loadConfig({}, []), loginRateLimit: 10_000 });
  const app = await buildApp({ config, db, logger: false });
  await app.ready();
  return {
    app,
    db,
    url: server.url,
    config,
    async close() {
      await app.close();
      await db.end();
    },
  };
}

const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

/** The postmaster and the processes it started (backends, WAL writer, checkpointer, …). */
function postgresProcesses(): number[] {
  const postmaster = Number(
    fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  const children = fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
      } catch {
        return false;
      }
    });
  return [postmaster, ...children];
}

/** Signals `pid`, unless it has just ended (a backend whose connection closed). */
function signal(pid: number, name: NodeJS.Signals) {
  try {
    process.kill(pid, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}

/**
 * Freezes every PostgreSQL process at once, kills them all, waits until they are gone, and starts
 * PostgreSQL again on the same data directory (it recovers from its write-ahead log).
 */
async function crashAndRestart(stopTheWorld: () => Promise<void>): Promise<void> {
  // what would end a real gongshu process: the platform must outlive its database
  const uncaught: unknown[] = [];
  const note = (err: unknown) => uncaught.push(err);
  process.on('uncaughtException', note);
  try {
    const pids = postgresProcesses();
    expect(pids.length).toBeGreaterThan(3);
    for (const pid of pids) signal(pid, 'SIGSTOP');
    for (const pid of pids) signal(pid, 'SIGKILL');
    for (let i = 0; i < 100 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
    expect(pids.filter(alive)).toEqual([]);
    await stopTheWorld();
  } finally {
    process.off('uncaughtException', note);
  }
  expect(uncaught).toEqual([]);
  server = await startEmbedded(dir);
}

/** Resolves with `p`, or after `ms` if it has not settled by then (a dead server's pools). */
const within = (p: Promise<unknown>, ms: number) =>
  Promise.race([p.catch(() => undefined), new Promise((r) => setTimeout(r, ms))]);

/** Polls the server until `sql` (on pg_stat_activity) finds a row. */
async function waitForActivity(sql: string, ready: () => boolean): Promise<string> {
  const monitor = new pg.Client({ connectionString: server.url });
  await monitor.connect();
  try {
    for (let i = 0; i < 20_000; i++) {
      if (ready()) {
        const { rows } = await monitor.query(sql);
        if (rows.length) return rows[0].query;
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    throw new Error(`no activity matched ${sql}`);
  } finally {
    monitor.end().catch(() => undefined);
  }
}

describe.skipIf(skip)('PostgreSQL killed in the middle of a commit', () => {
  let p: TestContext;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongshu-crash-'));
    fs.chmodSync(dir, 0o755);
    server = await startEmbedded(dir);
    p = await platform();
  });
  afterAll(async () => {
    await within(p?.close() ?? Promise.resolve(), 10_000);
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every batch it answered for and no part of any other, killed in a batch’s merge', async () => {
    const org = await buildOrg(p.db);
    const officer = await buildUser(p.db, org.id, ['officer']);
    const auditor = await buildUser(p.db, org.id, ['auditor']);
    const cookie = await login(p.app, officer.username);
    const entries = [
      await poolResource(p.db, enterpriseResource(org.id)),
      await poolResource(p.db, enterpriseResource(org.id)),
    ];
    const ROWS = 20_000;
    const answered: { batchId: string; requestId: string; tableName: string }[] = [];
    let stop = false;
    // two providers' systems pushing batches back to back, each into its own resource
    const pusher = async (entryNo: number) => {
      const entry = entries[entryNo];
      for (let b = 0; !stop; b++) {
        const first = 1 + entryNo * 500_000 + b * ROWS;
        const requestId = `crash-load-${entryNo}-${b}`;
        const res = await p.app.inject({
          method: 'POST',
          url: `/api/v1/resources/${entry.resourceId}/batches?mode=append`,
          headers: { cookie, 'content-type': 'text/csv', 'x-request-id': requestId },
          payload: enterpriseCsv(Array.from({ length: ROWS }, (_, k) => enterprise(first + k))),
        });
        if (res.statusCode >= 300) return res.statusCode;
        if (res.json().accepted !== ROWS) throw new Error(`batch loaded in part: ${res.body}`);
        answered.push({ batchId: res.json().batchId, requestId, tableName: entry.tableName });
      }
      return 0;
    };
    let broken: unknown;
    const pushers = [0, 1].map((i) =>
      pusher(i).catch((err) => {
        broken = err;
        return -1;
      }),
    );
    // the kill comes while a batch writes its rows and change records, once some have committed
    const caught = await waitForActivity(
      `SELECT query FROM pg_stat_activity
        WHERE application_name = 'gongshu streams' AND state = 'active' AND query LIKE '%_changes%'`,
      () => {
        if (broken) throw broken;
        return answered.length >= 3;
      },
    );
    expect(caught).toMatch(/_changes/);
    await crashAndRestart(async () => {
      stop = true;
      const codes = await Promise.all(pushers);
      expect(codes.some((c) => c >= 500)).toBe(true); // a batch was cut off
      await within(p.close(), 10_000);
    });
    p = await platform();

    // every batch answered 201 is there, whole
    const batches = (
      await p.db.query(
        `SELECT b.id, b.status, b.accepted, p.table_name FROM batches b
           JOIN pool_tables p USING (resource_id) WHERE b.resource_id = ANY($1)`,
        [entries.map((e) => e.resourceId)],
      )
    ).rows;
    expect(batches.length).toBeGreaterThan(answered.length);
    const count = async (table: string, column: string, batchId: string) =>
      Number(
        (await p.db.query(`SELECT count(*) FROM pool."${table}" WHERE ${column} = $1`, [batchId]))
          .rows[0].count,
      );
    for (const a of answered) {
      const res = await p.app.inject({
        method: 'GET',
        url: `/api/v1/batches/${a.batchId}`,
        headers: { cookie: await login(p.app, officer.username) },
      });
      expect(res.json(), a.batchId).toMatchObject({ status: 'committed', accepted: ROWS });
      expect(await count(a.tableName, '_batch_id', a.batchId)).toBe(ROWS);
    }
    // and no batch is there in part: its rows and change records are all there or none is
    for (const b of batches) {
      const rows = await count(b.table_name, '_batch_id', b.id);
      const changes = await count(`${b.table_name}_changes`, 'batch_id', b.id);
      if (b.status === 'committed') {
        expect([rows, changes]).toEqual([ROWS, ROWS]);
      } else {
        expect(b.status).toBe('failed'); // the interrupted one, marked at start
        expect([rows, changes]).toEqual([0, 0]);
      }
    }
    // each answered batch's ledger entry is there, and the chain verifies
    const logged = await p.db.query(
      `SELECT request_id FROM audit_ledger WHERE action = 'pool.batch.load' AND request_id = ANY($1)`,
      [answered.map((a) => a.requestId)],
    );
    expect(logged.rows.map((r) => r.request_id).sort()).toEqual(
      answered.map((a) => a.requestId).sort(),
    );
    const verify = await p.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { cookie: await login(p.app, auditor.username) },
    });
    expect(verify.json()).toMatchObject({ ok: true });
  }, 180_000);

  it('keeps the ledger entry of every read it answered, killed in a flush of read entries', async () => {
    const cast = await sharingCast(p);
    const rows = Array.from({ length: 20 }, (_, i) => person(i + 1));
    const resource = await publishedResource(p, cast, { shareType: 'unconditional', rows });
    const api = (cookie: string, url: string, payload: object) =>
      p.app.inject({ method: 'POST', url, headers: { cookie }, payload });
    const request = await api(cast.cookies.consumer, '/api/v1/share-requests', {
      resourceId: resource.id,
      fields: ['id_number', 'name', 'district'],
      purpose: '核定税额',
      scenario: '个税汇算',
      legalBasis: '《税收征收管理法》',
      until: '2099-12-31',
      delivery: 'api',
    });
    const requestId = request.json().id;
    await api(cast.cookies.admin, `/api/v1/share-requests/${requestId}/decisions`, {
      decision: 'approve',
    });
    const channel = (
      await api(cast.cookies.consumer, `/api/v1/share-requests/${requestId}/agreement`, {
        accept: true,
      })
    ).json().channelId;

    const answered: string[] = [];
    const failed: number[] = [];
    let stop = false;
    let n = 0;
    // sixteen readers at once, so flushes follow each other and carry several entries
    const reader = async () => {
      while (!stop) {
        const id = `crash-read-${++n}`;
        const res = await p.app.inject({
          method: 'GET',
          url: `/api/v1/channels/${channel}/records?limit=2`,
          headers: { cookie: cast.cookies.consumer, 'x-request-id': id },
        });
        if (res.statusCode === 200) answered.push(id);
        else {
          failed.push(res.statusCode);
          return;
        }
      }
    };
    const readers = Array.from({ length: 16 }, reader);
    const caught = await waitForActivity(
      `SELECT query FROM pg_stat_activity
        WHERE application_name = 'gongshu ledger' AND state = 'active'`,
      () => answered.length >= 200,
    );
    expect(caught).toMatch(/audit_ledger/);
    await crashAndRestart(async () => {
      stop = true;
      await Promise.all(readers);
      expect(failed.some((c) => c >= 500)).toBe(true); // reads were cut off
      await within(p.close(), 10_000);
    });
    p = await platform();

    const logged = await p.db.query(
      `SELECT request_id FROM audit_ledger WHERE action = 'share.read' AND request_id = ANY($1)`,
      [answered],
    );
    expect(new Set(logged.rows.map((r) => r.request_id))).toEqual(new Set(answered));
    const verify = await p.app.inject({
      method: 'GET',
      url: '/api/v1/audit/verify',
      headers: { cookie: await login(p.app, cast.users.admin.username) },
    });
    expect(verify.json()).toMatchObject({ ok: true });
  }, 180_000);
});

describe.skipIf(skip)('a PostgreSQL that may lose committed data', () => {
  let throwaway: EmbeddedServer;
  let throwawayDir: string;
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: throwaway.url });
    await c.connect();
    try {
      return (await c.query(sql)).rows;
    } finally {
      await c.end();
    }
  };
  /** Sets a server-wide setting and waits until new connections see it. */
  const setting = async (name: string, value: string) => {
    await admin(`ALTER SYSTEM SET ${name} = ${value}`);
    await admin('SELECT pg_reload_conf()');
    for (let i = 0; i < 100; i++) {
      if ((await admin(`SHOW ${name}`))[0][name] === value) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`${name} did not become ${value}`);
  };
  const databaseUrl = (name: string) => {
    const url = new URL(throwaway.url);
    url.pathname = `/${name}`;
    return url.toString();
  };
  /** Runs `npm start`'s server on `url` until it serves or exits; returns what it printed. */
  async function start(url: string) {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const free = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(free));
      });
    });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    let code: number | null | undefined;
    void exited.then((c) => {
      code = c;
    });
    for (let i = 0; i < 300 && code === undefined && !stdout.includes('serving on'); i++)
      await new Promise((r) => setTimeout(r, 100));
    if (code === undefined) {
      child.kill('SIGTERM');
      await exited;
    }
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    throwawayDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongshu-durability-'));
    fs.chmodSync(throwawayDir, 0o755);
    throwaway = await startEmbedded(throwawayDir);
    await admin('CREATE DATABASE refused');
    await admin('CREATE DATABASE warned');
  });
  afterAll(async () => {
    await throwaway?.stop();
    fs.rmSync(throwawayDir, { recursive: true, force: true });
  });

  for (const name of ['fsync', 'full_page_writes']) {
    it(`refuses to start with ${name} off, in one line naming it, before touching the database`, async () => {
      await setting(name, 'off');
      try {
        const run = await start(databaseUrl('refused'));
        expect(run.code).toBe(1);
        expect(run.stdout).not.toContain('serving on');
        expect(run.stderr.trim().split('\n')).toEqual([
          expect.stringMatching(
            new RegExp(
              `^gongshu: failed to start: PostgreSQL runs with ${name} = off.*${name} = on`,
            ),
          ),
        ]);
        const c = new pg.Client({ connectionString: databaseUrl('refused') });
        await c.connect();
        const tables = await c.query(`SELECT to_regclass('schema_migrations') AS t`);
        await c.end();
        expect(tables.rows[0].t).toBeNull();
      } finally {
        await setting(name, 'on');
      }
    }, 60_000);
  }

  it('starts with synchronous_commit off, warning in one line that answered commits may be lost', async () => {
    await admin('ALTER DATABASE warned SET synchronous_commit = off');
    const run = await start(databaseUrl('warned'));
    expect(run.stdout).toContain('serving on');
    expect(run.code).toBe(0); // stopped by the test's SIGTERM
    expect(run.stderr).toMatch(
      /^gongshu: warning: PostgreSQL runs with synchronous_commit = off, .*set synchronous_commit = on$/m,
    );
  }, 60_000);
});
