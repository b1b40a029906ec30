import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp, type App, type BuildOptions } from '../src/server/app.js';
import { loadConfig, type Config } from '../src/server/config.js';
import { createDb, withTx, type Db } from '../src/db/pool.js';
import { migrate } from '../src/db/migrate.js';
import { makeUscc, orgCodeCheckChar } from '../src/lib/check-digits.js';
import {
  hashPassword,
  identityRepository as repo,
  type OrgType,
  type Role,
} from '../src/modules/identity/index.js';

export interface TestContext {
  app: App;
  db: Db;
  /** Connection string of this file's own database. */
  url: string;
  config: Config;
  close(): Promise<void>;
}

/**
 * A fresh database with every migration applied, on the run's PostgreSQL (embedded or external).
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = inject('adminUrl');
  const name = `gongshu_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * The whole application on a database of its own; `app.inject` drives it over real HTTP handling.
 */
export async function buildTestApp(
  overrides: Partial<Config> = {},
  logger: BuildOptions['logger'] = false,
): Promise<TestContext> {
  const database = await createTestDatabase();
  // Tests sign in far more often than people do; the rate-limit test sets its own limit.
  const config = Object.freeze({ ...loadConfig({}, []), loginRateLimit: 10_000, ...overrides });
  // the request pool as main.ts makes it
  const db = createDb(database.url, 10, 'gongshu', {
    statementTimeoutMs: config.statementTimeoutMs,
  });
  await migrate(db);
  const app = await buildApp({ config, db, logger });
  await app.ready();
  return {
    app,
    db,
    url: database.url,
    config,
    async close() {
      await app.close();
      await db.end();
      await database.drop();
    },
  };
}

/** A random valid 统一社会信用代码 of a public body. */
export function randomUscc(): string {
  const body = crypto.randomInt(1e8).toString().padStart(8, '0');
  return makeUscc(`11330100${body}${orgCodeCheckChar(body)}`);
}

let seq = 0;
const uniq = () => `${process.pid % 1000}${++seq}${crypto.randomInt(1000)}`;

/** An organisation with a valid 统一社会信用代码. */
export async function buildOrg(
  db: Db,
  attrs: { name?: string; type?: OrgType; parentId?: string | null; shortCode?: string } = {},
) {
  return withTx(db, (tx) =>
    repo.insertOrg(tx, {
      name: attrs.name ?? `测试单位${uniq()}`,
      code: randomUscc(),
      type: attrs.type ?? 'department',
      parent_id: attrs.parentId ?? null,
      level: null,
      short_code: attrs.shortCode ?? null,
    }),
  );
}

export const TEST_PASSWORD = 'Test-pass-2026';

/** A user of `orgId` with `roles`, password TEST_PASSWORD. */
export async function buildUser(db: Db, orgId: string, roles: Role[], username = `u${uniq()}`) {
  const id = await withTx(db, async (tx) =>
    repo.insertUser(tx, {
      org_id: orgId,
      username,
      display_name: `用户${username}`,
      email: null,
      phone: null,
      roles,
      password_hash: await hashPassword(TEST_PASSWORD),
    }),
  );
  return { id, username, orgId, roles };
}

/** Signs in through the API and returns the Cookie header to send on later requests. */
export async function login(app: App, username: string, password = TEST_PASSWORD): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { username, password },
  });
  if (res.statusCode !== 200)
    throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'gongshu_session');
  return `gongshu_session=${cookie!.value}`;
}

/** An organisation with a platform admin, signed in. */
export async function signedInAdmin(ctx: TestContext) {
  const org = await buildOrg(ctx.db, { type: 'authority' });
  const user = await buildUser(ctx.db, org.id, ['platform_admin']);
  return { org, user, cookie: await login(ctx.app, user.username) };
}
