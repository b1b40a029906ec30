import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, signedInAdmin, type TestContext } from './helpers.js';

let ctx: TestContext;
let base: string;
let auditorKey: string;
let officerKey: string;

beforeAll(async () => {
  ctx = await buildTestApp();
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
  const { cookie } = await signedInAdmin(ctx);
  const org = await buildOrg(ctx.db, { type: 'authority' });
  const mk = async (roles: string[]) =>
    (
      await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${org.id}/clients`,
        headers: { cookie },
        payload: { name: roles[0], roles },
      })
    ).json().key;
  auditorKey = await mk(['auditor']);
  officerKey = await mk(['officer']);
});
afterAll(() => ctx.close());

// The CLI as a user runs it, in its own process, over HTTP (asynchronously: the server lives in
// this process).
const gongshu = (args: string[], env: Record<string, string> = {}) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { encoding: 'utf8', env: { ...process.env, ...env } },
      (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
    );
  });

describe('gongshu audit verify', () => {
  it('reports an intact ledger and exits 0, reading the server and key from the environment', async () => {
    const r = await gongshu(['audit', 'verify'], { GONGSHU_URL: base, GONGSHU_KEY: auditorKey });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/audit ledger intact: \d+ entries verified/);
    expect(r.status).toBe(0);
  });

  it('names the first altered entry and exits 2', async () => {
    const seq = Number(
      (
        await ctx.db.query(
          `SELECT seq FROM audit_ledger WHERE action = 'client.create' ORDER BY seq LIMIT 1`,
        )
      ).rows[0].seq,
    );
    await ctx.db.query('ALTER TABLE audit_ledger DISABLE TRIGGER audit_ledger_append_only');
    await ctx.db.query(`UPDATE audit_ledger SET outcome = 'failure' WHERE seq = $1`, [seq]);
    await ctx.db.query('ALTER TABLE audit_ledger ENABLE TRIGGER audit_ledger_append_only');
    const r = await gongshu(['audit', 'verify', '--url', base, '--key', auditorKey]);
    expect(r.stdout).toContain(`BROKEN at entry #${seq} (hash_mismatch): client.create`);
    expect(r.status).toBe(2);
    const json = JSON.parse(
      (await gongshu(['audit', 'verify', '--url', base, '--key', auditorKey, '--json'])).stdout,
    );
    expect(json).toMatchObject({ ok: false, firstBadEntry: { seq } });
  });

  it('refuses a key without the audit permission, a bad key and a missing key', async () => {
    const forbidden = await gongshu(['audit', 'verify', '--url', base, '--key', officerKey]);
    expect(forbidden.stderr).toMatch(/403 FORBIDDEN/);
    expect(forbidden.status).toBe(1);
    expect((await gongshu(['audit', 'verify', '--url', base, '--key', 'gsk_nope'])).stderr).toMatch(
      /401 UNAUTHENTICATED/,
    );
    const none = await gongshu(['audit', 'verify', '--url', base], { GONGSHU_KEY: '' });
    expect(none.stderr).toMatch(/no API key/);
    expect(none.status).toBe(1);
  });

  it('prints help', async () => {
    expect((await gongshu(['audit', 'verify', '--help'])).stdout).toMatch(/hash chain/);
  });
});
