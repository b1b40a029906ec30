import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, buildUser, login, type TestContext } from './helpers.js';
import { enterprise, enterpriseCsv, enterpriseResource, poolResource } from './factories/pool.js';
import { recoverInterruptedBatches } from '../src/modules/pool/index.js';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await buildTestApp();
});
afterAll(() => ctx.close());

describe('a batch killed half way', () => {
  it('leaves no visible rows, shows as failed, and can be retried under its idempotency key', async () => {
    const org = await buildOrg(ctx.db);
    const user = await buildUser(ctx.db, org.id, ['officer']);
    const entry = await poolResource(ctx.db, enterpriseResource(org.id));
    const actor = {
      kind: 'user',
      id: user.id,
      name: user.username,
      displayName: 'x',
      orgId: org.id,
      orgName: 'x',
      roles: ['officer'],
    };
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'test/fixtures/pool-kill-loader.ts',
        ctx.url,
        entry.resourceId,
        JSON.stringify(actor),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        if (d.toString().includes('streaming')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`loader exited early with ${code}`)));
    });
    const running = await ctx.db.query(`SELECT id, status FROM batches WHERE resource_id = $1`, [
      entry.resourceId,
    ]);
    expect(running.rows).toEqual([{ id: expect.any(String), status: 'running' }]);
    // while the loader lives its batch is not taken for dead
    expect(await recoverInterruptedBatches(ctx.db)).toBe(0);

    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    let recovered = 0;
    for (let i = 0; i < 50 && recovered === 0; i++) {
      recovered = await recoverInterruptedBatches(ctx.db);
      if (!recovered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(1);
    const batchId = running.rows[0].id;
    expect(
      (
        await ctx.db.query(`SELECT status, error->>'reason' AS reason FROM batches WHERE id = $1`, [
          batchId,
        ])
      ).rows[0],
    ).toEqual({ status: 'failed', reason: 'interrupted' });
    expect(
      Number((await ctx.db.query(`SELECT count(*) FROM pool."${entry.tableName}"`)).rows[0].count),
    ).toBe(0);
    expect(
      Number(
        (await ctx.db.query(`SELECT count(*) FROM pool."${entry.tableName}_changes"`)).rows[0]
          .count,
      ),
    ).toBe(0);

    // the provider retries with the same key and the same batch loads
    const cookie = await login(ctx.app, user.username);
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/resources/${entry.resourceId}/batches?mode=upsert`,
      headers: { cookie, 'content-type': 'text/csv', 'idempotency-key': 'killed-batch' },
      payload: enterpriseCsv([enterprise(1), enterprise(2)]),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ batchId, status: 'committed', accepted: 2 });
  });
});
