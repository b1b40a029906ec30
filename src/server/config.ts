import os from 'node:os';
import path from 'node:path';
import { PROFILE_IDS } from '../modules/profiles/index.js';
import type { Config, ProfileId } from './platform/config.js';

export type { Config } from './platform/config.js';

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function positive(env: Env, name: string, fallback: number): number {
  const n = int(env, name, fallback);
  if (n === 0) throw new Error(`${name} must be at least 1`);
  return n;
}

function bool(env: Env, name: string): boolean {
  return ['1', 'true', 'yes', 'on'].includes((env[name] ?? '').toLowerCase());
}

/** Reads the configuration; the only place in gongshu that looks at `process.env`. */
export function loadConfig(env: Env = process.env, argv: string[] = process.argv.slice(2)): Config {
  const profile = (env.GONGSHU_PROFILE || 'lingang-2024') as ProfileId;
  if (!PROFILE_IDS.includes(profile)) {
    throw new Error(`GONGSHU_PROFILE must be one of ${PROFILE_IDS.join(', ')}, got "${profile}"`);
  }
  const crypto = env.GONGSHU_CRYPTO || 'standard';
  if (crypto !== 'gm' && crypto !== 'standard')
    throw new Error(`GONGSHU_CRYPTO must be gm or standard, got "${crypto}"`);
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  return Object.freeze({
    port: int(env, 'PORT', 8080),
    host: env.HOST || '0.0.0.0',
    dataDir: path.resolve(env.GONGSHU_DATA_DIR || path.join(root, 'data')),
    dataDirChosen: !!env.GONGSHU_DATA_DIR,
    databaseUrl: env.DATABASE_URL || undefined,
    databasePoolSize: positive(
      env,
      'DATABASE_POOL_SIZE',
      Math.max(4, 2 * os.availableParallelism()),
    ),
    databaseStreamPoolSize: positive(env, 'DATABASE_STREAM_POOL_SIZE', 8),
    exportWorkers: positive(env, 'GONGSHU_EXPORT_WORKERS', 2),
    readLockTimeoutMs: int(env, 'GONGSHU_READ_LOCK_TIMEOUT_MS', 3000),
    statementTimeoutMs: int(env, 'GONGSHU_STATEMENT_TIMEOUT_MS', 30_000),
    uploadLimitBytes: positive(env, 'GONGSHU_UPLOAD_LIMIT_MB', 2048) * 1024 * 1024,
    demo: argv.includes('--demo') || bool(env, 'GONGSHU_DEMO'),
    demoPassword: env.GONGSHU_DEMO_PASSWORD || 'Gongshu@2026',
    profile,
    crypto,
    // GONGSHU_SESSION_TTL_MINUTES, a lifetime renewed while in use, was an idle timeout by another
    // name: it is still read as one when the new name is not set.
    sessionIdleMinutes: positive(
      env,
      env.GONGSHU_SESSION_IDLE_MINUTES
        ? 'GONGSHU_SESSION_IDLE_MINUTES'
        : 'GONGSHU_SESSION_TTL_MINUTES',
      30,
    ),
    sessionMaxHours: positive(env, 'GONGSHU_SESSION_MAX_HOURS', 12),
    loginRateLimit: int(env, 'GONGSHU_LOGIN_RATE_LIMIT', 30),
    verifyRateLimit: int(env, 'GONGSHU_VERIFY_RATE_LIMIT', 120),
    requestRateLimit: int(env, 'GONGSHU_RATE_LIMIT', 6000),
    deploymentName: env.GONGSHU_DEPLOYMENT_NAME || '公共数据管理与共享平台',
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: bool(env, 'GONGSHU_TRUST_PROXY'),
    secureCookies: bool(env, 'GONGSHU_SECURE_COOKIES'),
    webDir: path.join(root, 'web', 'dist'),
  });
}
