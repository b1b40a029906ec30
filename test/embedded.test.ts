import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startEmbedded } from '../src/db/embedded.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongshu-emb-'));
  fs.chmodSync(dir, 0o755);
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function query(url: string, sql: string) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows;
  } finally {
    await c.end();
  }
}
const postgresRunningIn = (dir: string) => {
  const pidFile = path.join(dir, 'pg', 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return false;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const lines = (child: ChildProcess) =>
  new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
  });

// These tests are about gongshu's own embedded server, so they run once, in the embedded leg.
describe.skipIf(inject('dbLeg') === 'external')('embedded PostgreSQL', () => {
  it('runs two instances side by side, each on its own free port, listening on 127.0.0.1 only', async () => {
    const [a, b] = await Promise.all([startEmbedded(tempDir()), startEmbedded(tempDir())]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(await query(a.url, 'SHOW listen_addresses')).toEqual([
        { listen_addresses: '127.0.0.1' },
      ]);
      expect((await query(b.url, 'SELECT version()'))[0].version).toMatch(/^PostgreSQL 18/);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('stops its server on stop(), and starts again on the same data', async () => {
    const dir = tempDir();
    const first = await startEmbedded(dir);
    await query(first.url, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)');
    await first.stop();
    expect(postgresRunningIn(dir)).toBe(false);
    const second = await startEmbedded(dir);
    try {
      expect(await query(second.url, 'SELECT x FROM kept')).toEqual([{ x: 42 }]);
    } finally {
      await second.stop();
    }
  });

  it('is not blocked by a server a crashed process left running', async () => {
    const dir = tempDir();
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/embedded-holder.ts', dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await lines(holder);
    holder.kill('SIGKILL');
    await new Promise((r) => holder.once('exit', r));
    expect(postgresRunningIn(dir)).toBe(true); // the orphan is still there
    const next = await startEmbedded(dir);
    try {
      expect(await query(next.url, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
    } finally {
      await next.stop();
    }
  });

  it('refuses a data directory a live gongshu is using', async () => {
    const dir = tempDir();
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/fixtures/embedded-holder.ts', dir],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await lines(holder);
    try {
      await expect(startEmbedded(dir)).rejects.toThrow(/in use by another gongshu process/);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('the app stops the embedded server on SIGTERM', async () => {
    const dir = tempDir();
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const app = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
      env: {
        ...process.env,
        GONGSHU_DATA_DIR: dir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    app.stdout!.on('data', (d) => {
      out += d;
    });
    // up to 50 s: on a busy machine the migrations alone have taken 20
    for (let i = 0; i < 250 && !out.includes('serving on'); i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(out).toContain('created platform admin "admin" with password');
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/health`)).status).toBe(200);
    expect(postgresRunningIn(dir)).toBe(true);
    app.kill('SIGTERM');
    const code = await new Promise((r) => app.once('exit', r));
    expect(code).toBe(0);
    expect(postgresRunningIn(dir)).toBe(false);
  }, 60_000);
});

describe.skipIf(inject('dbLeg') === 'external' || process.getuid?.() !== 0)(
  'embedded PostgreSQL as root',
  () => {
    it('says in one line how to fix a chosen data directory inside a private folder', async () => {
      const privateDir = tempDir();
      fs.chmodSync(privateDir, 0o700);
      await expect(startEmbedded(path.join(privateDir, 'data'))).rejects.toThrow(
        /cannot enter .*Set GONGSHU_DATA_DIR/,
      );
    });

    it('starts the default data directory inside a private folder, its cluster where the one line it says names', async () => {
      // a clone in a home folder or a `mktemp -d`, started without GONGSHU_DATA_DIR
      const privateDir = tempDir();
      fs.chmodSync(privateDir, 0o700);
      const dataDir = path.join(privateDir, 'data');
      const said: string[] = [];
      const server = await startEmbedded(dataDir, { move: true, say: (l) => said.push(l) });
      const moved = server.pgDir;
      try {
        expect(said).toHaveLength(1);
        const where =
          /^gongshu: starting embedded PostgreSQL in (\S+) … \(not in (\S+): its "postgres" OS user cannot enter (\S+)\)$/.exec(
            said[0],
          );
        expect(where, said[0]).not.toBeNull();
        expect(where![1]).toMatch(/^\/var\/lib\/gongshu\/[0-9a-f]{12}\/pg$/);
        expect([where![2], where![3]]).toEqual([path.join(dataDir, 'pg'), privateDir]);
        expect(moved).toBe(where![1]);
        expect(await query(server.url, 'SHOW data_directory')).toEqual([{ data_directory: moved }]);
        expect(fs.statSync(moved).uid).toBe(Number(execFileSync('id', ['-u', 'postgres'])));
        expect(fs.existsSync(path.join(dataDir, 'pg'))).toBe(false);
        await query(server.url, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)');
        await server.stop();
        // the next start of the same data directory finds its cluster there again
        const again = await startEmbedded(dataDir, { move: true });
        try {
          expect(again.pgDir).toBe(moved);
          expect(await query(again.url, 'SELECT x FROM kept')).toEqual([{ x: 7 }]);
        } finally {
          await again.stop();
        }
      } finally {
        await server.stop();
        fs.rmSync(path.dirname(moved), { recursive: true, force: true });
      }
    });
  },
);
