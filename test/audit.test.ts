import type { LightMyRequestResponse } from 'fastify';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildTestApp,
  buildOrg,
  buildUser,
  login,
  signedInAdmin,
  type TestContext,
} from './helpers.js';

let ctx: TestContext;
let cookie: string;
beforeAll(async () => {
  ctx = await buildTestApp();
  ({ cookie } = await signedInAdmin(ctx));
});
afterAll(() => ctx.close());

const verify = async () =>
  (
    await ctx.app.inject({ method: 'GET', url: '/api/v1/audit/verify', headers: { cookie } })
  ).json();

/** ~1,000 ledger entries from a mix of the API's changes, sign-ins and failures. */
async function mixedActions(n: number): Promise<void> {
  const org = await buildOrg(ctx.db);
  const user = await buildUser(ctx.db, org.id, ['consumer']);
  const clients: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    const day = new Date(Date.UTC(2030, 0, 1) + i * 86_400_000).toISOString().slice(0, 10);
    let res: LightMyRequestResponse;
    if (kind < 4)
      res = await ctx.app.inject({
        method: 'PUT',
        url: `/api/v1/calendar/overrides/${day}`,
        headers: { cookie },
        payload: { kind: i % 2 ? 'holiday' : 'workday', note: `调休 ${i}` },
      });
    else if (kind < 6)
      res = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/orgs/${org.id}`,
        headers: { cookie },
        payload: { name: `单位 ${i}` },
      });
    else if (kind < 8) {
      res = await ctx.app.inject({
        method: 'POST',
        url: `/api/v1/orgs/${org.id}/clients`,
        headers: { cookie },
        payload: { name: `client ${i}` },
      });
      clients.push(res.json().id);
    } else if (kind === 8)
      res = await ctx.app.inject({
        method: 'DELETE',
        url: `/api/v1/clients/${clients.pop()}`,
        headers: { cookie },
      });
    else if (i % 50 === 9)
      res = await ctx.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: user.username, password: 'wrong-password-9' },
      });
    else
      res = await ctx.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${user.id}`,
        headers: { cookie },
        payload: { displayName: `用户 ${i}` },
      });
    if (res.statusCode >= 300 && !(kind === 9 && res.statusCode === 401))
      throw new Error(`action ${i}: ${res.statusCode} ${res.body}`);
    if (i % 50 === 9)
      await ctx.db.query('UPDATE users SET failed_logins = 0 WHERE id = $1', [user.id]);
  }
}

describe('audit ledger', () => {
  it('records every change with actor, organisation, action, target, outcome, request id and client address', async () => {
    const org = await buildOrg(ctx.db);
    const res = await ctx.app.inject({
      method: 'PATCH',
      url: `/api/v1/orgs/${org.id}`,
      headers: { cookie, 'x-request-id': 'req-audit-1' },
      payload: { name: '改名后的单位' },
    });
    expect(res.statusCode).toBe(200);
    const { rows } = await ctx.db.query(
      `SELECT * FROM audit_ledger WHERE request_id = 'req-audit-1'`,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      action: 'org.update',
      target_type: 'organisation',
      target_id: org.id,
      outcome: 'success',
      actor_kind: 'user',
      client_ip: '127.0.0.1',
    });
    expect(rows[0].actor_id).not.toBeNull();
    expect(rows[0].org_id).not.toBeNull();
    const list = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/audit?action=org.update&pageSize=5`,
      headers: { cookie },
    });
    expect(list.json().items[0]).toMatchObject({ action: 'org.update', requestId: 'req-audit-1' });
  });

  it('refuses UPDATE, DELETE and TRUNCATE at the database level', async () => {
    await expect(
      ctx.db.query(`UPDATE audit_ledger SET action = 'x' WHERE seq = 1`),
    ).rejects.toThrow(/append-only/);
    await expect(ctx.db.query('DELETE FROM audit_ledger WHERE seq = 1')).rejects.toThrow(
      /append-only/,
    );
    await expect(ctx.db.query('TRUNCATE audit_ledger')).rejects.toThrow(/append-only/);
  });

  it('a failed change leaves no entry: the entry and the change commit together', async () => {
    const before = (await ctx.db.query('SELECT max(seq) AS s FROM audit_ledger')).rows[0].s;
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/api/v1/orgs',
      headers: { cookie },
      payload: { name: '坏代码', code: '11330100000000000X', type: 'department' },
    });
    expect(res.statusCode).toBe(400);
    expect((await ctx.db.query('SELECT max(seq) AS s FROM audit_ledger')).rows[0].s).toBe(before);
  });

  it('the chain verifies after 1,000 mixed actions, and an edit made with the trigger dropped is found at its entry', async () => {
    await mixedActions(1000);
    const ok = await verify();
    expect(ok.ok).toBe(true);
    expect(ok.entries).toBeGreaterThan(1000);

    const { rows } = await ctx.db.query(
      `SELECT seq FROM audit_ledger WHERE action = 'user.update' ORDER BY seq OFFSET 40 LIMIT 1`,
    );
    const target = Number(rows[0].seq);
    await ctx.db.query('DROP TRIGGER audit_ledger_append_only ON audit_ledger');
    await ctx.db.query(
      `UPDATE audit_ledger SET details = '{"changed": {"displayName": "篡改"}}' WHERE seq = $1`,
      [target],
    );
    const bad = await verify();
    expect(bad.ok).toBe(false);
    expect(bad.firstBadEntry).toMatchObject({
      seq: target,
      reason: 'hash_mismatch',
      action: 'user.update',
    });
    expect(bad.entries).toBe(target - 1);

    // Recomputing that entry's hash to hide the edit breaks the link to the next one instead.
    const { entryHash } = await import('../src/modules/audit/audit.service.js');
    const row = (await ctx.db.query('SELECT * FROM audit_ledger WHERE seq = $1', [target])).rows[0];
    const forged = entryHash({
      seq: target,
      at: row.at.toISOString(),
      actorId: row.actor_id,
      actorName: row.actor_name,
      actorKind: row.actor_kind,
      orgId: row.org_id,
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id,
      outcome: row.outcome,
      requestId: row.request_id,
      clientIp: row.client_ip,
      details: row.details,
      algorithm: row.algorithm,
      prevHash: row.prev_hash,
    });
    await ctx.db.query('UPDATE audit_ledger SET hash = $2 WHERE seq = $1', [target, forged]);
    const relinked = await verify();
    expect(relinked.firstBadEntry).toMatchObject({ seq: target + 1, reason: 'broken_link' });

    // Deleting an entry is found as a gap.
    await ctx.db.query('DELETE FROM audit_ledger WHERE seq = $1', [target]);
    expect((await verify()).firstBadEntry).toMatchObject({ seq: target, reason: 'gap' });
  }, 180_000);
});

describe('audit ledger under concurrency', () => {
  it('two processes appending at once leave one valid chain', async () => {
    const other = await buildTestApp();
    try {
      const { cookie: c } = await signedInAdmin(other);
      const run = (label: string) =>
        new Promise<void>((resolve, reject) => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', 'test/fixtures/append-worker.ts', other.url, label, '300'],
            { stdio: ['ignore', 'ignore', 'pipe'] },
          );
          let err = '';
          child.stderr.on('data', (d) => {
            err += d;
          });
          child.on('exit', (code) =>
            code === 0 ? resolve() : reject(new Error(`worker ${label} exited ${code}: ${err}`)),
          );
        });
      await Promise.all([run('A'), run('B')]);
      const res = (
        await other.app.inject({
          method: 'GET',
          url: '/api/v1/audit/verify',
          headers: { cookie: c },
        })
      ).json();
      expect(res.ok).toBe(true);
      const counts = (
        await other.db.query(
          `SELECT actor_name, count(*)::int AS n FROM audit_ledger WHERE actor_kind = 'system' GROUP BY 1 ORDER BY 1`,
        )
      ).rows;
      expect(counts).toEqual([
        { actor_name: 'A', n: 330 },
        { actor_name: 'B', n: 330 },
      ]);
      // Both processes' entries interleave in one sequence with no gaps.
      const seqs = (await other.db.query('SELECT seq FROM audit_ledger ORDER BY seq')).rows.map(
        (r) => Number(r.seq),
      );
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    } finally {
      await other.close();
    }
  }, 120_000);
});

describe('audit ledger with 国密 (GONGSHU_CRYPTO=gm)', () => {
  it('chains entries with SM3 and verifies them', async () => {
    const gm = await buildTestApp({ crypto: 'gm' });
    try {
      const { cookie: c } = await signedInAdmin(gm);
      await gm.app.inject({
        method: 'PUT',
        url: '/api/v1/calendar/overrides/2031-01-02',
        headers: { cookie: c },
        payload: { kind: 'holiday' },
      });
      const row = (
        await gm.db.query(`SELECT * FROM audit_ledger WHERE action = 'calendar.override'`)
      ).rows[0];
      expect(row.algorithm).toBe('sm3');
      const { canonicalJson } = await import('../src/modules/audit/audit.canonical.js');
      const recomputed = crypto
        .createHash('sm3')
        .update(
          canonicalJson({
            seq: Number(row.seq),
            at: row.at.toISOString(),
            actorId: row.actor_id,
            actorName: row.actor_name,
            actorKind: row.actor_kind,
            orgId: row.org_id,
            action: row.action,
            targetType: row.target_type,
            targetId: row.target_id,
            outcome: row.outcome,
            requestId: row.request_id,
            clientIp: row.client_ip,
            details: row.details,
            algorithm: 'sm3',
            prevHash: row.prev_hash,
          }),
        )
        .digest('hex');
      expect(row.hash).toBe(recomputed);
      expect(
        (
          await gm.app.inject({
            method: 'GET',
            url: '/api/v1/audit/verify',
            headers: { cookie: c },
          })
        ).json(),
      ).toMatchObject({ ok: true });
    } finally {
      await gm.close();
    }
  });
});

describe('audit access', () => {
  it('only auditors and platform admins read or verify the ledger', async () => {
    const org = await buildOrg(ctx.db);
    const officer = await buildUser(ctx.db, org.id, ['officer', 'cdo']);
    const auditor = await buildUser(ctx.db, org.id, ['auditor']);
    const oc = await login(ctx.app, officer.username);
    const ac = await login(ctx.app, auditor.username);
    expect(
      (await ctx.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: oc } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/audit/verify',
          headers: { cookie: oc },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: '/api/v1/audit?pageSize=1',
          headers: { cookie: ac },
        })
      ).statusCode,
    ).toBe(200);
  });

  it('shows a body its own activity by day', async () => {
    const org = await buildOrg(ctx.db);
    const u = await buildUser(ctx.db, org.id, ['consumer']);
    const c = await login(ctx.app, u.username);
    const res = (
      await ctx.app.inject({
        method: 'GET',
        url: '/api/v1/audit/activity?days=7',
        headers: { cookie: c },
      })
    ).json();
    // the consumer's own sign-in is its organisation's only activity
    expect(res.items).toEqual([
      { day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), outcome: 'success', n: 1 },
    ]);
  });
});

describe('audit ledger failure', () => {
  it('when the entry cannot be written, the request fails and the change is rolled back', async () => {
    const broken = await buildTestApp();
    try {
      const { cookie: c } = await signedInAdmin(broken);
      const org = await buildOrg(broken.db, { name: '原名' });
      await broken.db.query(
        'ALTER TABLE audit_ledger ADD CONSTRAINT refuse_all CHECK (seq < 0) NOT VALID',
      );
      const res = await broken.app.inject({
        method: 'PATCH',
        url: `/api/v1/orgs/${org.id}`,
        headers: { cookie: c },
        payload: { name: '新名' },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        error: { code: 'INTERNAL', message: expect.any(String), details: {} },
      });
      expect(res.body).not.toMatch(/refuse_all|audit_ledger/); // nothing internal leaks
      expect(
        (await broken.db.query('SELECT name FROM organisations WHERE id = $1', [org.id])).rows[0]
          .name,
      ).toBe('原名');
    } finally {
      await broken.close();
    }
  });
});

describe('group commit of read entries', () => {
  it('writes concurrent reads in shared flushes, and an entry recorded as a flush ends still gets written', async () => {
    const app2 = await buildTestApp();
    try {
      const { AuditBatcher } = await import('../src/modules/audit/index.js');
      const batcher = new AuditBatcher(app2.db, 'standard');
      const actor = { kind: 'system' as const, id: null, name: 'batched', orgId: null };
      const entry = (i: number) => ({
        actor,
        action: 'share.read',
        outcome: 'success' as const,
        details: { i },
      });
      // 200 reads at once: far fewer flushes than entries (entries of one flush share its time).
      await Promise.all(Array.from({ length: 200 }, (_, i) => batcher.record(entry(i))));
      // Each next entry is recorded the moment the one before is durable: while the flush loop is
      // ending.
      let chained = 0;
      await new Promise<void>((resolve, reject) => {
        const next = (): void => {
          if (chained === 30) {
            resolve();
            return;
          }
          batcher.record(entry(1000 + chained++)).then(next, reject);
        };
        next();
      });
      await batcher.drain();
      const {
        rows: [r],
      } = await app2.db.query(
        `SELECT count(*)::int AS n, count(DISTINCT at)::int AS flushes FROM audit_ledger WHERE actor_name = 'batched'`,
      );
      expect(r.n).toBe(230);
      expect(r.flushes).toBeLessThan(30 + 200 / 4);
    } finally {
      await app2.close();
    }
  });

  it('keeps one valid chain while two instances’ batched reads and transactional changes append at the same time', async () => {
    const mixed = await buildTestApp();
    try {
      const { AuditBatcher, appendAlone } = await import('../src/modules/audit/index.js');
      const { createDb } = await import('../src/db/pool.js');
      const otherPool = createDb(mixed.url, 4); // a second writer, as another instance would be
      const batcher = new AuditBatcher(mixed.db, 'standard');
      // small batches, so its flushes interleave with the others
      const otherBatcher = new AuditBatcher(otherPool, 'standard', 7);
      const actor = { kind: 'system' as const, id: null, name: 'reader', orgId: null };
      await Promise.all([
        // details as callers build them: unsorted keys, a date, an absent value — hashed as they
        // are stored
        ...Array.from({ length: 300 }, (_, i) =>
          batcher.record({
            actor,
            action: 'share.read',
            outcome: 'success',
            details: {
              z: [i, { b: 1, a: undefined }],
              i,
              since: new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
              skip: undefined,
            },
          }),
        ),
        ...Array.from({ length: 200 }, (_, i) =>
          otherBatcher.record({
            actor: { ...actor, name: 'other reader' },
            action: 'share.read',
            outcome: 'success',
            details: { i },
          }),
        ),
        ...Array.from({ length: 40 }, (_, i) =>
          appendAlone(otherPool, 'standard', [
            {
              actor: { ...actor, name: 'writer' },
              action: 'org.update',
              outcome: 'success',
              details: { i },
            },
          ]),
        ),
      ]);
      await otherPool.end();
      const { cookie: c } = await signedInAdmin(mixed);
      const res = (
        await mixed.app.inject({
          method: 'GET',
          url: '/api/v1/audit/verify',
          headers: { cookie: c },
        })
      ).json();
      expect(res.ok).toBe(true);
      const counts = (
        await mixed.db.query(
          `SELECT actor_name, count(*)::int AS n FROM audit_ledger WHERE actor_kind = 'system' GROUP BY 1 ORDER BY 1`,
        )
      ).rows;
      expect(counts).toEqual([
        { actor_name: 'other reader', n: 200 },
        { actor_name: 'reader', n: 300 },
        { actor_name: 'writer', n: 40 },
      ]);
      const stored = (
        await mixed.db.query(
          `SELECT details FROM audit_ledger WHERE actor_name = 'reader' AND details->>'i' = '7'`,
        )
      ).rows[0].details;
      expect(stored).toEqual({ z: [7, { b: 1 }], i: 7, since: '2026-01-01T00:00:07.000Z' });
    } finally {
      await mixed.close();
    }
  });
});
