import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, signedInAdmin, type TestContext } from './helpers.js';
import { enterprise, enterpriseCsv, enterpriseResource, poolResource } from './factories/pool.js';
import type { PoolEntry } from '../src/modules/pool/index.js';

let ctx: TestContext;
let base: string;
let key: string;
let entry: PoolEntry;
let dir: string;

beforeAll(async () => {
  ctx = await buildTestApp();
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
  const { cookie } = await signedInAdmin(ctx);
  const org = await buildOrg(ctx.db);
  key = (
    await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/orgs/${org.id}/clients`,
      headers: { cookie },
      payload: { name: '前置机', roles: ['officer'] },
    })
  ).json().key;
  entry = await poolResource(ctx.db, enterpriseResource(org.id));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongshu-push-'));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await ctx.close();
});

const gongshu = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { encoding: 'utf8', env: { ...process.env, GONGSHU_URL: base, GONGSHU_KEY: key } },
      (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
    );
  });

const pooled = async () =>
  Number(
    (await ctx.db.query(`SELECT count(*) FROM pool."${entry.tableName}" WHERE NOT _deleted`))
      .rows[0].count,
  );

describe('gongshu push', () => {
  it('loads a CSV, summarises rejected rows, writes them out, and exits 0', async () => {
    const file = path.join(dir, 'enterprises.csv');
    fs.writeFileSync(
      file,
      enterpriseCsv([enterprise(1), enterprise(2), enterprise(3, { phone: '110' })]),
    );
    const out = path.join(dir, 'rejected.csv');
    const r = await gongshu([
      'push',
      file,
      '--resource',
      entry.resourceId,
      '--mode',
      'upsert',
      '--rejected',
      out,
    ]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/sent 0\.0 MB, 3 rows/);
    expect(r.stdout).toMatch(
      /batch [0-9a-f-]{36} committed: 3 received, 2 accepted \(2 inserted, 0 updated, 0 deleted, 0 unchanged\), 1 rejected/,
    );
    expect(r.stdout).toContain('row 3  phone  mobile  "110"');
    expect(fs.readFileSync(out, 'utf8')).toBe('row,field,rule,value\n3,phone,mobile,110\n');
    expect(r.status).toBe(0);
    expect(await pooled()).toBe(2);
    expect(
      (
        await ctx.db.query('SELECT file_name FROM batches WHERE resource_id = $1', [
          entry.resourceId,
        ])
      ).rows,
    ).toEqual([{ file_name: 'enterprises.csv' }]);
  });

  it('pushing the same file again loads it once', async () => {
    const file = path.join(dir, 'enterprises.csv');
    const r = await gongshu(['push', file, '--resource', entry.resourceId]);
    expect(r.stdout).toMatch(/already loaded under idempotency key push-[0-9a-f]{40}/);
    expect(r.status).toBe(0);
    expect(
      Number(
        (
          await ctx.db.query('SELECT count(*) FROM batches WHERE resource_id = $1', [
            entry.resourceId,
          ])
        ).rows[0].count,
      ),
    ).toBe(1);
  });

  it('exits 3 when strict mode rejects the batch, and loads NDJSON', async () => {
    const file = path.join(dir, 'more.ndjson');
    fs.writeFileSync(
      file,
      [enterprise(4), enterprise(5, { uscc: 'bad' })].map((e) => JSON.stringify(e)).join('\n'),
    );
    const strict = await gongshu(['push', file, '--resource', entry.resourceId, '--strict']);
    expect(strict.stdout).toMatch(
      /rejected \(strict mode\): 1 of 2 rows break rules; nothing was loaded/,
    );
    expect(strict.status).toBe(3);
    expect(await pooled()).toBe(2);
    const lenient = await gongshu(['push', file, '--resource', entry.resourceId]);
    expect(lenient.status).toBe(0);
    expect(await pooled()).toBe(3);
  });

  it('exits 4 on a malformed file and 1 on a resource it may not load', async () => {
    const file = path.join(dir, 'broken.csv');
    fs.writeFileSync(file, `${enterpriseCsv([enterprise(6)])}a,b\n`);
    const r = await gongshu(['push', file, '--resource', entry.resourceId]);
    expect(r.stdout).toMatch(/failed: .*\(line 3\); nothing was loaded/);
    expect(r.status).toBe(4);
    const other = await gongshu([
      'push',
      file,
      '--resource',
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect(other.stderr).toMatch(/server answered 404 NOT_FOUND/);
    expect(other.status).toBe(1);
  });

  it('explains itself with --help', async () => {
    const r = await gongshu(['push', '--help']);
    expect(r.stdout).toContain('--resource <id>');
    expect(r.stdout).toContain('--mode <mode>');
    expect(r.stdout).toContain('Exit codes');
    expect(r.status).toBe(0);
  });
});
