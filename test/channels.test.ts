import http from 'node:http';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProfile } from '../src/modules/profiles/index.js';
import { runSharingTimers } from '../src/modules/sharing/index.js';
import { buildTestApp, type TestContext } from './helpers.js';
import { insertRows, person, publishedResource, sharingCast } from './factories/sharing.js';
import { col, poolTable } from '../src/modules/pool/index.js';
import { exportChannel, SLICE_ROWS } from '../src/modules/sharing/channel.export.js';
import { loadChannel, RecordReader, recordsShape } from '../src/modules/sharing/channel.reads.js';
import { createDb, withConnection } from '../src/db/pool.js';
import { buildApp } from '../src/server/app.js';
import type { Topic } from '../src/db/notices.js';

let ctx: TestContext;
let cast: Awaited<ReturnType<typeof sharingCast>>;
let resourceId: string;
const rows = Array.from({ length: 12 }, (_, i) => person(i + 1));

beforeAll(async () => {
  ctx = await buildTestApp({ readLockTimeoutMs: 300 });
  cast = await sharingCast(ctx);
  resourceId = (await publishedResource(ctx, cast, { shareType: 'unconditional', rows })).id;
});
afterAll(() => ctx.close());

const api = (cookie: string, method: string, url: string, payload?: object) =>
  ctx.app.inject({ method: method as 'POST', url, headers: { cookie }, payload });

/** Asks, approves and accepts: an open channel for the consumer body. */
async function openChannel(extra: object = {}, decision: object = {}): Promise<string> {
  const req = (
    await api(cast.cookies.consumer, 'POST', '/api/v1/share-requests', {
      resourceId,
      fields: [
        'id_number',
        'name',
        'mobile',
        'address',
        'district',
        'bank_card',
        'income',
        'birth_date',
      ],
      purpose: '核定税额',
      scenario: '个税汇算',
      legalBasis: '《税收征收管理法》',
      until: '2099-12-31',
      delivery: 'api',
      ...extra,
    })
  ).json();
  await api(cast.cookies.admin, 'POST', `/api/v1/share-requests/${req.id}/decisions`, {
    decision: 'approve',
    ...decision,
  });
  return (
    await api(cast.cookies.consumer, 'POST', `/api/v1/share-requests/${req.id}/agreement`, {
      accept: true,
    })
  ).json().channelId;
}
const ledger = async (action: string, channelId: string) =>
  (
    await ctx.db.query(
      `SELECT * FROM audit_ledger WHERE action = $1 AND target_id = $2 ORDER BY seq`,
      [action, channelId],
    )
  ).rows;

describe('reading through a channel', () => {
  it('masks each field per its rule', async () => {
    const ch = await openChannel({}, { masking: { income: 'generalise', birth_date: 'truncate' } });
    const res = await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/records?limit=1`);
    expect(res.statusCode, res.body).toBe(200);
    const [r] = res.json().items;
    const p = rows[0];
    expect(r.id_number).toBe(`${p.id_number.slice(0, 6)}********${p.id_number.slice(-4)}`);
    expect(r.name).toBe('李*');
    expect(r.mobile).toBe(`138****${p.mobile.slice(-4)}`);
    expect(r.address).toBe('广东省深圳市南山区***');
    expect(r.district).toBe('南山区');
    expect(r.bank_card).toMatch(/^[0-9a-f]{64}$/); // salted hash
    expect(r.bank_card).not.toContain(p.bank_card);
    expect(Number(r.income)).toBe(12000); // generalised to two significant digits
    expect(r.birth_date).toBe(p.birth_date.slice(0, 4)); // truncated to the year
  });

  it('hashes with a salt of the channel: the same value hashes differently on another channel', async () => {
    const a = await openChannel();
    const b = await openChannel();
    const read = async (ch: string) =>
      (
        await api(
          cast.cookies.consumer,
          'GET',
          `/api/v1/channels/${ch}/records?income=${rows[2].income}`,
        )
      ).json().items[0].bank_card;
    expect(await read(a)).toBe(await read(a));
    expect(await read(a)).not.toBe(await read(b));
  });

  it('pages with a cursor and filters by ranges, writing one ledger entry per read with fields and row count', async () => {
    const ch = await openChannel();
    const firstRes = await api(
      cast.cookies.consumer,
      'GET',
      `/api/v1/channels/${ch}/records?limit=5&fields=name,district`,
    );
    expect(firstRes.statusCode, firstRes.body).toBe(200);
    const first = firstRes.json();
    expect(first.items).toHaveLength(5);
    expect(Object.keys(first.items[0])).toEqual(['name', 'district']);
    const second = (
      await api(
        cast.cookies.consumer,
        'GET',
        `/api/v1/channels/${ch}/records?limit=5&cursor=${first.nextCursor}&fields=name`,
      )
    ).json();
    expect(second.items).toHaveLength(5);
    const third = (
      await api(
        cast.cookies.consumer,
        'GET',
        `/api/v1/channels/${ch}/records?limit=5&cursor=${second.nextCursor}`,
      )
    ).json();
    expect(third.items).toHaveLength(2);
    expect(third.nextCursor).toBeNull();
    const ranged = (
      await api(
        cast.cookies.consumer,
        'GET',
        `/api/v1/channels/${ch}/records?income.gte=12350&income.lt=12355`,
      )
    ).json();
    expect(ranged.items.map((x: { income: string }) => Number(x.income))).toEqual([
      12350, 12351, 12352, 12353, 12354,
    ]);
    const entries = await ledger('share.read', ch);
    expect(entries).toHaveLength(4);
    expect(entries[0]).toMatchObject({
      outcome: 'success',
      org_id: cast.consumer.id,
      actor_name: cast.users.consumer.username,
    });
    expect(entries[0].details).toMatchObject({ fields: ['name', 'district'], rows: 5, resourceId });
  });

  it('refuses a field outside the scope, logs it, and reports it to the authority', async () => {
    const ch = await openChannel({ fields: ['id_number', 'name', 'district'] });
    const res = await api(
      cast.cookies.consumer,
      'GET',
      `/api/v1/channels/${ch}/records?fields=name,income`,
    );
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({
      code: 'SHARE_SCOPE_EXCEEDED',
      details: { kind: 'field', field: 'income' },
    });
    expect(
      (await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/records?mobile=13800131001`))
        .statusCode,
    ).toBe(403);
    expect(await ledger('share.read', ch)).toEqual([
      expect.objectContaining({ outcome: 'denied' }),
      expect.objectContaining({ outcome: 'denied' }),
    ]);
    const report = (await api(cast.cookies.reviewer, 'GET', '/api/v1/sharing/over-scope')).json();
    expect(
      report.items
        .filter((v: { channelId: string }) => v.channelId === ch)
        .map((v: { kind: string; detail: { field: string } }) => v.detail.field),
    ).toEqual(['mobile', 'income']);
    // the consumer body does not see the authority's report
    expect((await api(cast.cookies.consumer, 'GET', '/api/v1/sharing/over-scope')).statusCode).toBe(
      403,
    );
  });

  it('refuses any filter or range on a field the channel masks, the identifier included, alike for right and wrong guesses, and reports it', async () => {
    // mobile granted unmasked by the reviewer; id_number, name, address partial, bank_card hashed
    const ch = await openChannel({}, { masking: { mobile: 'none' } });
    const p = rows[3];
    const read = (query: string) =>
      api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/records?${query}`);
    // the bisection of the finding: a bound just below the value and the value itself
    const below = `${p.id_number.slice(0, 17)}${p.id_number.at(-1) === '0' ? 'X' : '0'}`;
    const asks: [string, string][] = [
      [`id_number=${p.id_number}`, 'id_number'], // a right guess of the masked identifier
      [`id_number=${rows[0].id_number.slice(0, 17)}9`, 'id_number'], // a wrong one
      [`id_number.lte=${below}`, 'id_number'],
      [`id_number.lte=${p.id_number}`, 'id_number'],
      [`id_number.gt=0`, 'id_number'],
      ['name=李四', 'name'],
      ['bank_card.gte=6222', 'bank_card'],
      ['income.gte=0&address=广东省深圳市南山区科技园路4号', 'address'],
    ];
    const answers = [];
    for (const [query, field] of asks) {
      const res = await read(query);
      expect(res.statusCode, query).toBe(403);
      expect(res.json().error, query).toMatchObject({
        code: 'SHARE_SCOPE_EXCEEDED',
        details: { kind: 'masked_compare', field },
      });
      answers.push(res.body);
    }
    // nothing tells a right guess from a wrong one
    expect(answers[0]).toBe(answers[1]);
    expect(answers[2]).toBe(answers[3]);
    const denied = await ledger('share.read', ch);
    expect(denied).toHaveLength(asks.length);
    expect(denied.every((e) => e.outcome === 'denied')).toBe(true);
    const report = (await api(cast.cookies.reviewer, 'GET', '/api/v1/sharing/over-scope')).json();
    expect(
      report.items
        .filter((v: { channelId: string }) => v.channelId === ch)
        .map((v: { kind: string; detail: { field: string } }) => `${v.kind}:${v.detail.field}`)
        .sort(),
    ).toEqual(asks.map(([, field]) => `masked_compare:${field}`).sort());
    // fields shown unmasked still filter, and masked fields may still be shown
    const byMobile = await read(`mobile=${p.mobile}&fields=id_number,mobile`);
    expect(byMobile.statusCode, byMobile.body).toBe(200);
    expect(byMobile.json().items).toEqual([
      { id_number: `${p.id_number.slice(0, 6)}********${p.id_number.slice(-4)}`, mobile: p.mobile },
    ]);
    expect(
      (await read(`income.gte=${p.income}&income.lt=${p.income + 2}`)).json().items,
    ).toHaveLength(2);
  });

  it('limits 核验 per channel per minute, counted in PostgreSQL, with Retry-After; other bodies cannot use up the count', async () => {
    const ch = await openChannel();
    const other = await openChannel();
    // a second instance on the same database with a limit of 3
    const second = await buildApp({
      config: { ...ctx.config, verifyRateLimit: 3 },
      db: ctx.db,
      logger: false,
    });
    try {
      const verify = (cookie: string, channel: string, app = second) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/channels/${channel}/verify`,
          headers: { cookie },
          payload: { match: { id_number: rows[1].id_number } },
        });
      // another body's attempts answer as for a missing channel, on a count of its own that leaves
      // the consumer's be
      const others = [];
      for (let i = 0; i < 4; i++)
        others.push((await verify(cast.cookies.otherConsumer, ch)).statusCode);
      expect(others).toEqual([404, 404, 404, 429]);
      const codes = [];
      for (let i = 0; i < 3; i++) codes.push((await verify(cast.cookies.consumer, ch)).statusCode);
      expect(codes).toEqual([200, 200, 200]);
      const limited = await verify(cast.cookies.consumer, ch);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      // the count is per channel
      expect((await verify(cast.cookies.consumer, other)).statusCode).toBe(200);
      // each answer given is in the ledger
      expect(await ledger('share.verify', ch)).toEqual([
        expect.objectContaining({
          outcome: 'success',
          details: expect.objectContaining({ match: true }),
        }),
        expect.objectContaining({ outcome: 'success' }),
        expect.objectContaining({ outcome: 'success' }),
      ]);
    } finally {
      await second.close();
    }
  });

  it('refuses a bulk export through a channel not approved for one (an offline copy needs approval), logs and reports it', async () => {
    const ch = await openChannel({ fields: ['id_number', 'name', 'district'] }); // delivery: api
    const res = await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/export?format=csv`);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toMatchObject({
      code: 'SHARE_SCOPE_EXCEEDED',
      details: { kind: 'delivery', delivery: 'api' },
    });
    expect(await ledger('share.export', ch)).toEqual([]);
    expect(await ledger('share.read', ch)).toEqual([
      expect.objectContaining({
        outcome: 'denied',
        details: expect.objectContaining({ kind: 'delivery' }),
      }),
    ]);
    const report = (await api(cast.cookies.reviewer, 'GET', '/api/v1/sharing/over-scope')).json();
    expect(
      report.items
        .filter((v: { channelId: string }) => v.channelId === ch)
        .map((v: { kind: string }) => v.kind),
    ).toEqual(['delivery']);
    // the same channel still answers queries
    expect(
      (await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/records?limit=1`))
        .statusCode,
    ).toBe(200);
  });

  it('answers reads sent together with one statement per shape, each read with its own rows, cursor and ledger entry', async () => {
    const ch = await openChannel();
    const key = (
      await api(cast.cookies.admin, 'POST', `/api/v1/orgs/${cast.consumer.id}/clients`, {
        name: 'batch reader',
        roles: ['consumer'],
      })
    ).json().key;
    const read = (query: string) =>
      ctx.app.inject({
        method: 'GET',
        url: `/api/v1/channels/${ch}/records?${query}`,
        headers: { authorization: `Bearer ${key}` },
      });
    // three shapes, each asked several times with values, cursors and limits of its own
    const queries = [
      ...rows.slice(0, 6).map((r) => `income=${r.income}`),
      'limit=2',
      'limit=3&cursor=2',
      'limit=5&cursor=9',
      'limit=4&cursor=100',
      'income.gte=12350&income.lt=12353',
      'income.gte=12000&income.lt=12002',
      'income.gte=99999&income.lt=100000',
    ];
    const alone = [];
    // one at a time: each its own statement
    for (const q of queries) alone.push((await read(q)).json());
    expect(alone.slice(0, 6).map((a) => a.items.length)).toEqual(Array(6).fill(1));
    expect(alone[7]).toMatchObject({ items: { length: 3 }, nextCursor: expect.any(String) });
    expect(alone[9]).toEqual({ items: [], nextCursor: null });
    expect(alone[10].items.map((x: { income: string }) => Number(x.income))).toEqual([
      12350, 12351, 12352,
    ]);

    let statements = 0;
    const count = () => statements++;
    ctx.app.readPool.on('acquire', count);
    const together = await Promise.all(queries.map((q) => read(q)));
    ctx.app.readPool.off('acquire', count);
    expect(together.map((r) => r.statusCode)).toEqual(Array(queries.length).fill(200));
    expect(together.map((r) => r.json())).toEqual(alone);
    expect(statements).toBe(3); // by income, a page from a cursor, an income range
    const entries = await ledger('share.read', ch);
    expect(entries).toHaveLength(2 * queries.length);
    expect(
      entries
        .slice(queries.length)
        .map((e) => e.details.rows)
        .sort(),
    ).toEqual(alone.map((a) => a.items.length).sort());
  });

  it('refuses a compared value that is no day of the calendar, naming the field, before asking the database', async () => {
    const ch = await openChannel();
    const res = await api(
      cast.cookies.consumer,
      'GET',
      `/api/v1/channels/${ch}/records?birth_date=2026-02-30`,
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { field: 'birth_date', rule: 'type' },
    });
    expect(
      (
        await api(
          cast.cookies.consumer,
          'GET',
          `/api/v1/channels/${ch}/records?birth_date.gte=2024-02-29`,
        )
      ).statusCode,
    ).toBe(200);
  });

  it('when the database refuses one read of a batch, only that read fails: the others run again on their own', async () => {
    const ch = await openChannel();
    const grant = (await withConnection(ctx.db, (tx) => loadChannel(tx, ch)))!;
    const reader = new RecordReader(ctx.db);
    const shape = recordsShape(
      grant,
      { limit: 100, cursor: 0, equals: { birth_date: '' }, ranges: [] },
      ctx.config.crypto,
    );
    const [good, bad, other] = await Promise.allSettled([
      reader.read(shape, [0, rows[0].birth_date, 101]),
      // past the value checks, as a future type's might slip
      reader.read(shape, [0, '2026-02-30', 101]),
      reader.read(shape, [0, rows[1].birth_date, 101]),
    ]);
    expect(good).toMatchObject({
      status: 'fulfilled',
      value: [expect.objectContaining({ name: '李*' })],
    });
    expect(other).toMatchObject({
      status: 'fulfilled',
      value: [expect.objectContaining({ district: rows[1].district })],
    });
    expect(bad).toMatchObject({
      status: 'rejected',
      reason: expect.objectContaining({ code: '22008' }),
    });
  });

  it('refuses many out-of-scope reads at once without running out of database connections', async () => {
    const ch = await openChannel({ fields: ['id_number', 'name'] });
    // more concurrent refusals than the pool has connections (10 in tests): each must be logged and
    // answered
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/records?fields=income`),
      ),
    );
    expect(answers.map((r) => r.statusCode)).toEqual(Array(30).fill(403));
    expect(await ledger('share.read', ch)).toHaveLength(30);
  });

  it('keeps reads inside the row filter the reviewer set', async () => {
    const ch = await openChannel({}, { rowFilter: { district: ['福田区'] } });
    const all = (
      await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/records?limit=100`)
    ).json().items;
    expect(all).toHaveLength(6);
    expect(new Set(all.map((r: { district: string }) => r.district))).toEqual(new Set(['福田区']));
    const outside = await api(
      cast.cookies.consumer,
      'GET',
      `/api/v1/channels/${ch}/records?district=南山区`,
    );
    expect(outside.statusCode).toBe(403);
    expect(outside.json().error.details).toMatchObject({ kind: 'row', field: 'district' });
    // a record outside the filter cannot be verified either
    expect(
      (
        await api(cast.cookies.consumer, 'POST', `/api/v1/channels/${ch}/verify`, {
          match: { id_number: rows[0].id_number },
        })
      ).json(),
    ).toEqual({ match: false });
    expect(
      (
        await api(cast.cookies.consumer, 'POST', `/api/v1/channels/${ch}/verify`, {
          match: { id_number: rows[1].id_number },
        })
      ).json(),
    ).toEqual({ match: true });
  });

  it("refuses another body's user and API key as if the channel did not exist", async () => {
    const ch = await openChannel();
    const other = await api(cast.cookies.otherConsumer, 'GET', `/api/v1/channels/${ch}/records`);
    expect(other.statusCode).toBe(404);
    const key = (
      await api(cast.cookies.admin, 'POST', `/api/v1/orgs/${cast.other.id}/clients`, {
        name: 'other system',
        roles: ['consumer'],
      })
    ).json().key;
    expect(
      (
        await ctx.app.inject({
          method: 'GET',
          url: `/api/v1/channels/${ch}/records`,
          headers: { authorization: `Bearer ${key}` },
        })
      ).statusCode,
    ).toBe(404);
    const mine = (
      await api(cast.cookies.admin, 'POST', `/api/v1/orgs/${cast.consumer.id}/clients`, {
        name: 'tax system',
        roles: ['consumer'],
      })
    ).json().key;
    const ok = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/channels/${ch}/records?limit=1`,
      headers: { authorization: `Bearer ${mine}` },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().items).toHaveLength(1);
    // the provider may look at the channel but not read through it
    expect(
      (await api(cast.cookies.providerOfficer, 'GET', `/api/v1/channels/${ch}`)).statusCode,
    ).toBe(200);
    expect(
      (await api(cast.cookies.providerOfficer, 'GET', `/api/v1/channels/${ch}/records`)).statusCode,
    ).toBe(403);
  });

  it('stops reads on suspended, revoked and expired channels; a frozen one needs a new request', async () => {
    const read = (ch: string) =>
      api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/records?limit=1`);
    const ch = await openChannel();
    expect(
      (
        await api(cast.cookies.providerOfficer, 'POST', `/api/v1/channels/${ch}/suspend`, {
          reason: '核查中',
        })
      ).json().status,
    ).toBe('suspended');
    expect((await read(ch)).json().error).toMatchObject({
      code: 'CHANNEL_NOT_ACTIVE',
      details: { status: 'suspended' },
    });
    expect(
      (await api(cast.cookies.providerOfficer, 'POST', `/api/v1/channels/${ch}/resume`, {})).json()
        .status,
    ).toBe('active');
    expect((await read(ch)).statusCode).toBe(200);
    expect(
      (await api(cast.cookies.consumer, 'POST', `/api/v1/channels/${ch}/revoke`, {})).statusCode,
    ).toBe(403); // the consumer cannot manage it
    await api(cast.cookies.reviewer, 'POST', `/api/v1/channels/${ch}/revoke`, {
      reason: '违规使用',
    });
    expect((await read(ch)).json().error.details.status).toBe('revoked');

    const expiring = await openChannel();
    await ctx.db.query(
      `UPDATE channels SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [expiring],
    );
    expect((await read(expiring)).json().error.details.status).toBe('expired');
    const renewed = await api(cast.cookies.admin, 'POST', `/api/v1/channels/${expiring}/renew`, {
      until: '2099-06-30',
    });
    expect(renewed.json().status).toBe('active');
    expect((await read(expiring)).statusCode).toBe(200);

    const idle = await openChannel();
    await ctx.db.query(
      `UPDATE channels SET last_used_at = now() - interval '91 days', created_at = now() - interval '91 days' WHERE id = $1`,
      [idle],
    );
    const result = await runSharingTimers(ctx.db, getProfile('lingang-2024'), 'standard');
    expect(result.frozen).toBeGreaterThanOrEqual(1);
    expect((await read(idle)).json().error.details.status).toBe('frozen');
    const resume = await api(cast.cookies.admin, 'POST', `/api/v1/channels/${idle}/resume`, {});
    expect(resume.statusCode).toBe(409);
    expect(resume.json().error.details.rule).toBe('frozen_needs_new_request');
  });

  it('stops reads in another instance as soon as a channel is suspended or frozen or an API key revoked here, not when its cache expires', async () => {
    const ch = await openChannel();
    const client = (
      await api(cast.cookies.admin, 'POST', `/api/v1/orgs/${cast.consumer.id}/clients`, {
        name: 'tax system (2nd instance)',
        roles: ['consumer'],
      })
    ).json();
    const otherDb = createDb(ctx.url, 4);
    const other = await buildApp({ config: ctx.config, db: otherDb, logger: false });
    /**
     * Resolves when the other instance hears `id` announced on `topic` (undefined: that it may have
     * missed some).
     */
    const heard = (topic: Topic, id: string | undefined) =>
      new Promise<void>((resolve) => {
        const stop = other.notices.on(topic, (got) => {
          if (got !== id) return;
          stop();
          resolve();
        });
      });
    try {
      const readThere = (auth: Record<string, string>) =>
        other.inject({
          method: 'GET',
          url: `/api/v1/channels/${ch}/records?limit=1`,
          headers: auth,
        });
      const asKey = { authorization: `Bearer ${client.key}` };
      // the other instance now remembers the channel and the key (2 s)
      expect((await readThere(asKey)).statusCode).toBe(200);
      let told = heard('gongshu_channel', ch);
      await api(cast.cookies.providerOfficer, 'POST', `/api/v1/channels/${ch}/suspend`, {
        reason: '核查中',
      });
      await told;
      expect((await readThere(asKey)).json().error).toMatchObject({
        code: 'CHANNEL_NOT_ACTIVE',
        details: { status: 'suspended' },
      });

      told = heard('gongshu_channel', ch);
      await api(cast.cookies.providerOfficer, 'POST', `/api/v1/channels/${ch}/resume`, {});
      await told;
      expect((await readThere(asKey)).statusCode).toBe(200);
      told = heard('gongshu_api_client', client.id);
      expect(
        (await api(cast.cookies.admin, 'DELETE', `/api/v1/clients/${client.id}`)).statusCode,
      ).toBe(200);
      await told;
      expect((await readThere(asKey)).json().error.code).toBe('UNAUTHENTICATED');

      // the timers' freeze is announced too
      const asUser = { cookie: cast.cookies.consumer };
      expect((await readThere(asUser)).statusCode).toBe(200);
      await ctx.db.query(
        `UPDATE channels SET last_used_at = now() - interval '91 days', created_at = now() - interval '91 days' WHERE id = $1`,
        [ch],
      );
      told = heard('gongshu_channel', ch);
      await runSharingTimers(ctx.db, getProfile('lingang-2024'), 'standard');
      await told;
      expect((await readThere(asUser)).json().error.details.status).toBe('frozen');

      // the listening connection lost: everything remembered is dropped, and it listens again
      told = heard('gongshu_channel', undefined);
      await ctx.db.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'gongshu notices' AND datname = current_database()`,
      );
      await told;
      const other2 = await openChannel();
      const announcedAgain = async (): Promise<boolean> => {
        const got = heard('gongshu_channel', other2);
        await api(cast.cookies.providerOfficer, 'POST', `/api/v1/channels/${other2}/suspend`, {
          reason: '再次核查',
        });
        const ok = await Promise.race([
          got.then(() => true),
          new Promise<false>((r) => setTimeout(r, 300, false)),
        ]);
        await api(cast.cookies.providerOfficer, 'POST', `/api/v1/channels/${other2}/resume`, {});
        return ok || announcedAgain();
      };
      expect(await announcedAgain()).toBe(true);
    } finally {
      await other.close();
      await otherDb.end();
    }
  });

  it('exports the whole channel masked, as CSV, NDJSON and XLSX, with ledger entries', async () => {
    const ch = await openChannel({ delivery: 'export' }, { rowFilter: { district: ['南山区'] } });
    const csv = await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/export?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(lines[0]).toBe('id_number,name,mobile,address,district,bank_card,income,birth_date');
    expect(lines).toHaveLength(7);
    expect(lines[1]).toContain('********');
    expect(csv.body).not.toContain(rows[0].id_number);
    const nd = await api(
      cast.cookies.consumer,
      'GET',
      `/api/v1/channels/${ch}/export?format=ndjson`,
    );
    const docs = nd.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(docs).toHaveLength(6);
    expect(docs[0].address).toBe('广东省深圳市南山区***');
    const x = await ctx.app.inject({
      method: 'GET',
      url: `/api/v1/channels/${ch}/export?format=xlsx`,
      headers: { cookie: cast.cookies.consumer },
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.rowCount).toBe(7);
    expect(String(sheet.getRow(1).getCell(1).value)).toContain('公民身份号码');
    expect(String(sheet.getRow(2).getCell(2).value)).toMatch(/\*$/);
    await new Promise((r) => setTimeout(r, 50));
    expect((await ledger('share.export', ch)).map((e) => e.details.format)).toEqual([
      'csv',
      'ndjson',
      'xlsx',
    ]);
    expect((await ledger('share.export.done', ch)).map((e) => e.details.rows)).toEqual([6, 6, 6]);
    // Exports ran on the pool for long-running work and their entries on the ledger's: an operator
    // sees which in pg_stat_activity.
    const names = (
      await ctx.db.query(
        `SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE datname = current_database()`,
      )
    ).rows.map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['gongshu streams', 'gongshu ledger']));
  });

  it('exports a channel spanning many row ids in slices read side by side: in order, one header, nothing twice', async () => {
    const big = await publishedResource(ctx, cast, { shareType: 'unconditional' });
    // Rows with ids in slices 0, 1 and 3 of the export (slice 2 stays empty). Slice 0 is long, so
    // the second reader finishes slice 1 first and must hold it back.
    const table = poolTable(big.entry);
    const column = (name: string) => col(big.entry.fields.find((f) => f.name === name)!);
    await ctx.db.query(`INSERT INTO ${table} (${['id_number', 'name', 'district', 'income'].map(column).join(', ')}, _batch_id)
      SELECT lpad(g::text, 18, '0'), '张三', '南山区', 100000 + g, gen_random_uuid() FROM generate_series(1, 30000) g`);
    const people = Array.from({ length: 15 }, (_, i) => person(i + 1));
    const restart = (id: number) =>
      ctx.db.query(`ALTER TABLE ${table} ALTER COLUMN _row_id RESTART WITH ${id}`);
    await insertRows(ctx, big.id, people.slice(0, 5));
    await restart(SLICE_ROWS + 7);
    await insertRows(ctx, big.id, people.slice(5, 10));
    await restart(3 * SLICE_ROWS + 1);
    await insertRows(ctx, big.id, people.slice(10));
    await ctx.db.query(`UPDATE ${table} SET _deleted = true WHERE ${column('income')} = $1`, [
      people[6].income,
    ]);
    const ch = await openChannel(
      { resourceId: big.id, delivery: 'export' },
      { rowFilter: { district: ['南山区'] } },
    );
    const expected = [
      ...Array.from({ length: 30000 }, (_, i) => String(100001 + i)),
      ...people.filter((p, i) => p.district === '南山区' && i !== 6).map((p) => String(p.income)),
    ];

    const csv = await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/export?format=csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    const [header, ...lines] = csv.body
      .replace(/^\ufeff/, '')
      .trim()
      .split('\n');
    expect(header).toBe('id_number,name,mobile,address,district,bank_card,income,birth_date');
    expect(lines.map((l) => l.split(',')[6])).toEqual(expected);
    const nd = await api(
      cast.cookies.consumer,
      'GET',
      `/api/v1/channels/${ch}/export?format=ndjson`,
    );
    expect(
      nd.body
        .trim()
        .split('\n')
        .map((l) => String(JSON.parse(l).income)),
    ).toEqual(expected);
    await expect
      .poll(async () => (await ledger('share.export.done', ch)).map((e) => e.details.rows))
      .toEqual([expected.length, expected.length]);
    // Two exports starting at once on a pool of two connections: each takes one to begin with, and
    // a second reader only from a free connection, so neither waits for the other's (which would be
    // forever).
    const loaded = (await withConnection(ctx.db, (tx) => loadChannel(tx, ch)))!;
    const grant = {
      ...loaded,
      fields: loaded.entry!.fields.filter((f) => loaded.channel.fields.includes(f.name)),
    };
    const two = createDb(ctx.url, 2, 'gongshu streams');
    const exportAll = async () => {
      let settle!: (err: Error | null, rows: number) => void;
      const done = new Promise<number>((resolve, reject) => {
        settle = (err, rows) => (err ? reject(err) : resolve(rows));
      });
      let text = '';
      for await (const chunk of await exportChannel(two, grant, 'csv', 'standard', settle))
        text += chunk;
      return {
        incomes: text
          .trim()
          .split('\n')
          .slice(1)
          .map((l) => l.split(',')[6]),
        rows: await done,
      };
    };
    expect(await Promise.all([exportAll(), exportAll()])).toEqual([
      { incomes: expected, rows: expected.length },
      { incomes: expected, rows: expected.length },
    ]);
    await two.end();
    // Every reader's transaction ended and its connection went back to the pool.
    await expect.poll(() => ctx.app.streams.totalCount - ctx.app.streams.idleCount).toBe(0);

    // A download closed halfway ends the export: its readers' connections are let go, the ledger
    // says it failed.
    const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
    const abort = new AbortController();
    const res = await fetch(`${address}/api/v1/channels/${ch}/export?format=csv`, {
      headers: { cookie: cast.cookies.consumer },
      signal: abort.signal,
    });
    await res.body!.getReader().read();
    abort.abort();
    await expect
      .poll(async () => (await ledger('share.export.done', ch)).map((e) => e.outcome), {
        timeout: 5000,
      })
      .toEqual(['success', 'success', 'failure']);
    await expect.poll(() => ctx.app.streams.totalCount - ctx.app.streams.idleCount).toBe(0);
    // the HTTP client's spare keep-alive connection, which would hold up closing the app
    ctx.app.server.closeAllConnections();
  });

  it('a read held up by a table lock (as a first load takes) answers 503 RESOURCE_BUSY, and other requests are still served', async () => {
    const ch = await openChannel();
    const entry = (await withConnection(ctx.db, (tx) => loadChannel(tx, ch)))!.entry!;
    const read = () => api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/records?limit=1`);
    const locker = await ctx.db.connect();
    try {
      await locker.query('BEGIN');
      await locker.query(`LOCK TABLE ${poolTable(entry)} IN ACCESS EXCLUSIVE MODE`);
      // more reads than the reads' pool has connections: none may wait for good
      const refused = await Promise.all(
        Array.from({ length: 2 * ctx.config.databasePoolSize }, read),
      );
      expect(refused.map((r) => r.statusCode)).toEqual(refused.map(() => 503));
      expect(refused[0].json().error).toMatchObject({
        code: 'RESOURCE_BUSY',
        details: { rule: 'lock_timeout' },
      });
      expect(refused[0].headers['retry-after']).toBe('5');
      expect((await api(cast.cookies.consumer, 'GET', '/api/v1/channels')).statusCode).toBe(200);
    } finally {
      await locker.query('ROLLBACK');
      locker.release();
    }
    expect((await read()).statusCode).toBe(200);
  });

  it('feeds changes after a cursor, masked', async () => {
    const ch = await openChannel({ fields: ['id_number', 'district'] });
    const allRes = await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/changes`);
    expect(allRes.statusCode, allRes.body).toBe(200);
    const all = allRes.json();
    expect(all.items.length).toBe(rows.length);
    await insertRows(ctx, resourceId, [person(100)]);
    const next = (
      await api(
        cast.cookies.consumer,
        'GET',
        `/api/v1/channels/${ch}/changes?since=${all.nextCursor}`,
      )
    ).json();
    expect(next.items).toEqual([
      {
        cursor: expect.any(String),
        op: 'insert',
        at: expect.any(String),
        values: { id_number: expect.stringMatching(/^\d{6}\*{8}\d{3}[\dX]$/), district: '福田区' },
      },
    ]);
    expect((await ledger('share.changes', ch)).map((e) => e.details.rows)).toEqual([
      rows.length,
      1,
    ]);
  });
});

describe('scheduled push', () => {
  it('records why a push did not arrive in words of its own, not the HTTP client’s', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const ch = await openChannel({
      fields: ['id_number', 'name'],
      delivery: 'push',
      push: { endpoint: `http://127.0.0.1:${port}/gongshu`, schedule: 'daily' },
    });
    expect((await runSharingTimers(ctx.db, getProfile('lingang-2024'), 'standard')).failed).toBe(1);
    const usage = await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/usage`);
    expect(usage.json().deliveries).toEqual([
      expect.objectContaining({ status: 'failed', error: 'unreachable (ECONNREFUSED)' }),
    ]);
    expect(usage.body).not.toMatch(/fetch failed/i);
    // out of the way of the next test's timer runs
    await ctx.db.query(`UPDATE channels SET next_push_at = NULL WHERE id = $1`, [ch]);
  });

  it('delivers changes to the consumer endpoint, retries after a failure, and logs each delivery', async () => {
    const received: unknown[] = [];
    let failNext = true;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => {
        body += d;
      });
      req.on('end', () => {
        if (failNext) {
          failNext = false;
          res.writeHead(503).end();
          return;
        }
        received.push(JSON.parse(body));
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/gongshu`;
    try {
      const ch = await openChannel({
        fields: ['id_number', 'name'],
        delivery: 'push',
        push: { endpoint, schedule: 'daily' },
      });
      const profile = getProfile('lingang-2024');
      const first = await runSharingTimers(ctx.db, profile, 'standard');
      expect(first.failed).toBe(1);
      expect(received).toHaveLength(0);
      // the retry's time has come
      await ctx.db.query(`UPDATE channels SET next_push_at = now() WHERE id = $1`, [ch]);
      const second = await runSharingTimers(ctx.db, profile, 'standard');
      expect(second.delivered).toBe(1);
      expect(received).toHaveLength(1);
      const payload = received[0] as { channelId: string; changes: { values: { name: string } }[] };
      expect(payload.channelId).toBe(ch);
      expect(payload.changes.length).toBeGreaterThanOrEqual(rows.length);
      expect(payload.changes[0].values.name).toMatch(/\*/);
      // nothing new: no delivery until tomorrow
      const third = await runSharingTimers(ctx.db, profile, 'standard');
      expect(third.delivered + third.failed).toBe(0);
      const usage = (
        await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${ch}/usage`)
      ).json();
      expect(
        usage.deliveries.map(
          (d: { status: string; attempt: number }) => `${d.status}#${d.attempt}`,
        ),
      ).toEqual(['delivered#2', 'failed#1']);
      expect((await ledger('share.push', ch)).map((e) => e.outcome)).toEqual([
        'failure',
        'success',
      ]);
    } finally {
      server.close();
    }
  });
});
