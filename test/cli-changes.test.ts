import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from './helpers.js';
import { insertRows, person, publishedResource, sharingCast } from './factories/sharing.js';

let ctx: TestContext;
let base: string;
let channelId: string;
let consumerKey: string;
let otherKey: string;
let resourceId: string;

beforeAll(async () => {
  ctx = await buildTestApp();
  const cast = await sharingCast(ctx);
  resourceId = (
    await publishedResource(ctx, cast, {
      shareType: 'unconditional',
      rows: [person(1), person(2), person(3)],
    })
  ).id;
  const api = (cookie: string, url: string, payload: object) =>
    ctx.app.inject({ method: 'POST', url, headers: { cookie }, payload });
  const req = (
    await api(cast.cookies.consumer, '/api/v1/share-requests', {
      resourceId,
      fields: ['id_number', 'district'],
      purpose: '同步',
      scenario: '每日同步',
      legalBasis: '《税收征收管理法》',
      until: '2099-01-01',
      delivery: 'api',
    })
  ).json();
  await api(cast.cookies.admin, `/api/v1/share-requests/${req.id}/decisions`, {
    decision: 'approve',
  });
  channelId = (
    await api(cast.cookies.consumer, `/api/v1/share-requests/${req.id}/agreement`, { accept: true })
  ).json().channelId;
  consumerKey = (
    await api(cast.cookies.admin, `/api/v1/orgs/${cast.consumer.id}/clients`, {
      name: '前置机',
      roles: ['consumer'],
    })
  ).json().key;
  otherKey = (
    await api(cast.cookies.admin, `/api/v1/orgs/${cast.other.id}/clients`, {
      name: 'other',
      roles: ['consumer'],
    })
  ).json().key;
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(ctx.app.server.address() as { port: number }).port}`;
});
afterAll(() => ctx.close());

const gongshu = (args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ['--import', 'tsx', 'src/cli/main.ts', ...args],
      { encoding: 'utf8', env: { ...process.env, GONGSHU_URL: base } },
      (_err, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
    );
  });

describe('gongshu changes', () => {
  it('prints the channel changes as masked NDJSON and resumes from the cursor file', async () => {
    const cursorFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gs-cli-')), 'cursor');
    const first = await gongshu([
      'changes',
      '--channel',
      channelId,
      '--key',
      consumerKey,
      '--cursor-file',
      cursorFile,
    ]);
    expect(first.status).toBe(0);
    const lines = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({
      op: 'insert',
      values: { id_number: expect.stringMatching(/\*{8}/), district: expect.any(String) },
    });
    expect(first.stderr).toMatch(/3 change\(s\); last cursor \d+/);
    await insertRows(ctx, resourceId, [person(4)]);
    const second = await gongshu([
      'changes',
      '--channel',
      channelId,
      '--key',
      consumerKey,
      '--cursor-file',
      cursorFile,
    ]);
    expect(second.stdout.trim().split('\n')).toHaveLength(1);
  });

  it("refuses another body's key as if the channel did not exist", async () => {
    const r = await gongshu(['changes', '--channel', channelId, '--key', otherKey]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/404 NOT_FOUND/);
  });

  it('prints help', async () => {
    expect((await gongshu(['changes', '--help'])).stdout).toMatch(/--cursor-file/);
  });
});
