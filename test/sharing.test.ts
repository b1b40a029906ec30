import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTx } from '../src/db/pool.js';
import { createCalendar } from '../src/lib/working-days.js';
import { getProfile } from '../src/modules/profiles/index.js';
import { createRequest } from '../src/modules/sharing/sharing.service.js';
import { buildTestApp, type TestContext } from './helpers.js';
import { person, publishedResource, sharingCast } from './factories/sharing.js';

let ctx: TestContext;
let cast: Awaited<ReturnType<typeof sharingCast>>;
beforeAll(async () => {
  ctx = await buildTestApp(); // lingang-2024
  cast = await sharingCast(ctx);
});
afterAll(() => ctx.close());

const api = (cookie: string, method: string, url: string, payload?: object) =>
  ctx.app.inject({ method: method as 'POST', url, headers: { cookie }, payload });
const future = '2099-12-31';
const ask = (resourceId: string, extra: object = {}) => ({
  resourceId,
  fields: ['id_number', 'name', 'mobile', 'district'],
  purpose: '纳税人身份核实',
  scenario: '个人所得税汇算清缴',
  legalBasis: '《税收征收管理法》第六条',
  until: future,
  delivery: 'api',
  ...extra,
});

describe('share requests under lingang-2024', () => {
  it('an unconditional share is confirmed by the platform within 5 working days, then opens after the agreement', async () => {
    const res = await publishedResource(ctx, cast, {
      shareType: 'unconditional',
      rows: [person(1)],
    });
    const r = await api(cast.cookies.consumer, 'POST', '/api/v1/share-requests', ask(res.id));
    expect(r.statusCode, r.body).toBe(201);
    const req = r.json();
    expect(req).toMatchObject({
      status: 'pending',
      pendingReviewer: 'platform',
      agreementAccepted: false,
      channelId: null,
    });
    expect(req.steps).toHaveLength(1);
    expect(req.steps[0]).toMatchObject({ reviewer: 'platform', status: 'pending', overdue: false });
    expect(req.steps[0].workingDaysLeft).toBe(5);
    // the provider cannot confirm in the platform's place
    expect(
      (
        await api(
          cast.cookies.providerOfficer,
          'POST',
          `/api/v1/share-requests/${req.id}/decisions`,
          { decision: 'approve' },
        )
      ).statusCode,
    ).toBe(403);
    const approved = (
      await api(cast.cookies.admin, 'POST', `/api/v1/share-requests/${req.id}/decisions`, {
        decision: 'approve',
      })
    ).json();
    expect(approved).toMatchObject({ status: 'approved', channelId: null });
    const accepted = (
      await api(cast.cookies.consumer, 'POST', `/api/v1/share-requests/${req.id}/agreement`, {
        accept: true,
      })
    ).json();
    expect(accepted.channelId).toEqual(expect.any(String));
    const channel = (
      await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${accepted.channelId}`)
    ).json();
    expect(channel).toMatchObject({
      status: 'active',
      fields: ['id_number', 'name', 'mobile', 'district'],
      masking: { id_number: 'partial', name: 'partial', mobile: 'partial', district: 'none' },
    });
  });

  it('a conditional share goes to the authority, then the provider; a refusal must cite its basis', async () => {
    const res = await publishedResource(ctx, cast, { shareType: 'conditional' });
    const req = (
      await api(cast.cookies.consumer, 'POST', '/api/v1/share-requests', ask(res.id))
    ).json();
    expect(
      req.steps.map((s: { reviewer: string; status: string }) => `${s.reviewer}:${s.status}`),
    ).toEqual(['authority:pending', 'provider:waiting']);
    expect(req.steps[0].workingDaysLeft).toBe(10);
    expect(
      (
        await api(cast.cookies.reviewer, 'POST', `/api/v1/share-requests/${req.id}/decisions`, {
          decision: 'approve',
          comment: '符合法定职责',
        })
      ).json().pendingReviewer,
    ).toBe('provider');
    const noBasis = await api(
      cast.cookies.providerOfficer,
      'POST',
      `/api/v1/share-requests/${req.id}/decisions`,
      { decision: 'refuse' },
    );
    expect(noBasis.statusCode).toBe(400);
    expect(noBasis.json().error.details).toMatchObject({
      field: 'basis',
      rule: 'required_for_refusal',
    });
    expect(
      (await api(cast.cookies.consumer, 'GET', `/api/v1/share-requests/${req.id}`)).json().status,
    ).toBe('pending');
    const refused = (
      await api(
        cast.cookies.providerOfficer,
        'POST',
        `/api/v1/share-requests/${req.id}/decisions`,
        { decision: 'refuse', basis: '《个人信息保护法》第十三条：超出履职所需' },
      )
    ).json();
    expect(refused.status).toBe('refused');
    expect(refused.steps[1]).toMatchObject({
      status: 'refused',
      basis: expect.stringContaining('个人信息保护法'),
    });
    // who asked and who decided, as pages show them: the people's display names (the ledger keeps
    // usernames)
    expect(refused.requester.userName).toBe(`用户${cast.users.consumer.username}`);
    expect(refused.steps.map((s: { decidedBy: string | null }) => s.decidedBy)).toEqual([
      `用户${cast.users.reviewer.username}`,
      `用户${cast.users.providerOfficer.username}`,
    ]);
    const {
      rows: [logged],
    } = await ctx.db.query(
      `SELECT actor_name FROM audit_ledger WHERE action = 'share.refuse' AND target_id = $1 ORDER BY seq DESC LIMIT 1`,
      [req.id],
    );
    expect(logged?.actor_name).toBe(cast.users.providerOfficer.username);
    expect(
      (
        await api(cast.cookies.consumer, 'POST', `/api/v1/share-requests/${req.id}/agreement`, {
          accept: true,
        })
      ).statusCode,
    ).toBe(409);
  });

  it('conditional shares need the legal duty they serve; unknown fields and past periods are refused', async () => {
    const res = await publishedResource(ctx, cast, { shareType: 'conditional' });
    const bad = async (extra: object) =>
      (
        await api(cast.cookies.consumer, 'POST', '/api/v1/share-requests', ask(res.id, extra))
      ).json().error.details;
    expect(await bad({ legalBasis: ' ' })).toMatchObject({ field: 'legalBasis', rule: 'required' });
    expect(await bad({ fields: ['id_number', 'salary'] })).toMatchObject({
      field: 'fields',
      rule: 'unknown_field',
    });
    expect(await bad({ until: '2020-01-01' })).toMatchObject({ field: 'until', rule: 'future' });
    expect(await bad({ delivery: 'push' })).toMatchObject({ field: 'push', rule: 'required' });
    expect(
      await bad({
        delivery: 'push',
        push: { endpoint: 'http://example.com/hook', schedule: 'daily' },
      }),
    ).toMatchObject({ field: 'push.endpoint', rule: 'https' });
    // a body cannot ask for its own data
    expect(
      (
        await api(cast.cookies.providerOfficer, 'POST', '/api/v1/share-requests', ask(res.id))
      ).json().error.details,
    ).toMatchObject({ rule: 'own_resource' });
  });

  it('not-shared data cannot be requested, only verified', async () => {
    const res = await publishedResource(ctx, cast, { shareType: 'not-shared', rows: [person(7)] });
    const read = await api(cast.cookies.consumer, 'POST', '/api/v1/share-requests', ask(res.id));
    expect(read.statusCode).toBe(403);
    expect(read.json().error.code).toBe('SHARE_NOT_REQUESTABLE');
    const verify = await api(
      cast.cookies.consumer,
      'POST',
      '/api/v1/share-requests',
      ask(res.id, { delivery: 'verify', fields: ['id_number', 'name'] }),
    );
    expect(verify.statusCode).toBe(201);
    const id = verify.json().id;
    await api(cast.cookies.reviewer, 'POST', `/api/v1/share-requests/${id}/decisions`, {
      decision: 'approve',
    });
    await api(cast.cookies.providerOfficer, 'POST', `/api/v1/share-requests/${id}/decisions`, {
      decision: 'approve',
    });
    const channelId = (
      await api(cast.cookies.consumer, 'POST', `/api/v1/share-requests/${id}/agreement`, {
        accept: true,
      })
    ).json().channelId;
    const p = person(7);
    const yes = await api(cast.cookies.consumer, 'POST', `/api/v1/channels/${channelId}/verify`, {
      match: { id_number: p.id_number, name: p.name },
    });
    expect(yes.json()).toEqual({ match: true });
    expect(
      (
        await api(cast.cookies.consumer, 'POST', `/api/v1/channels/${channelId}/verify`, {
          match: { id_number: p.id_number, name: '冒名' },
        })
      ).json(),
    ).toEqual({ match: false });
    // a verify-only channel never returns rows
    const rows = await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${channelId}/records`);
    expect(rows.statusCode).toBe(403);
    expect(rows.json().error).toMatchObject({
      code: 'SHARE_SCOPE_EXCEEDED',
      details: { kind: 'verify_only' },
    });
    // nor verifies fields outside its scope
    expect(
      (
        await api(cast.cookies.consumer, 'POST', `/api/v1/channels/${channelId}/verify`, {
          match: { id_number: p.id_number, income: 12352 },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('counts deadlines in working days across a holiday', async () => {
    const res = await publishedResource(ctx, cast, { shareType: 'unconditional' });
    const consumerActor = {
      kind: 'user' as const,
      id: cast.users.consumer.id,
      name: cast.users.consumer.username,
      displayName: '业务人员',
      orgId: cast.consumer.id,
      orgName: '税务局',
      roles: ['consumer' as const],
    };
    const id = await withTx(ctx.db, (tx) =>
      createRequest(tx, consumerActor, ask(res.id) as never, {
        profile: getProfile('lingang-2024'),
        calendar: createCalendar(),
        today: '2025-09-29',
      }),
    );
    // 5 working days from Monday 2025-09-29: 09-30, (National Day 10-01..08), 10-09, 10-10, 10-11
    // (make-up Saturday), 10-13
    const r = (await api(cast.cookies.consumer, 'GET', `/api/v1/share-requests/${id}`)).json();
    expect(r.answerDue).toBe('2025-10-13');
    expect(r.steps[0].due).toBe('2025-10-13');
    expect(r.steps[0].overdue).toBe(true);
  });

  it('another body neither sees a request nor decides it', async () => {
    const res = await publishedResource(ctx, cast, { shareType: 'conditional' });
    const req = (
      await api(cast.cookies.consumer, 'POST', '/api/v1/share-requests', ask(res.id))
    ).json();
    const seen = await api(cast.cookies.otherConsumer, 'GET', `/api/v1/share-requests/${req.id}`);
    const missing = await api(
      cast.cookies.otherConsumer,
      'GET',
      '/api/v1/share-requests/00000000-0000-4000-8000-000000000000',
    );
    expect(seen.statusCode).toBe(404);
    expect(seen.json()).toEqual(missing.json());
    expect(
      (await api(cast.cookies.otherConsumer, 'GET', '/api/v1/share-requests?role=all'))
        .json()
        .items.map((x: { id: string }) => x.id),
    ).not.toContain(req.id);
    // a consumer cannot review at all
    expect(
      (
        await api(cast.cookies.consumer, 'POST', `/api/v1/share-requests/${req.id}/decisions`, {
          decision: 'approve',
        })
      ).statusCode,
    ).toBe(403);
    const queue = (
      await api(cast.cookies.reviewer, 'GET', '/api/v1/share-requests?role=to-review')
    ).json();
    expect(queue.items.map((x: { id: string }) => x.id)).toContain(req.id);
  });
});

describe('share requests under other profiles', () => {
  it('huizhou-2023: unconditional is self-service; conditional goes to the provider with 2 working days to answer', async () => {
    const hz = await buildTestApp({ profile: 'huizhou-2023' });
    try {
      const c = await sharingCast(hz);
      const free = await publishedResource(hz, c, { shareType: 'unconditional' });
      const r1 = (
        await hz.app.inject({
          method: 'POST',
          url: '/api/v1/share-requests',
          headers: { cookie: c.cookies.consumer },
          payload: ask(free.id),
        })
      ).json();
      expect(r1).toMatchObject({ status: 'approved', steps: [] });
      const cond = await publishedResource(hz, c, { shareType: 'conditional' });
      const r2 = (
        await hz.app.inject({
          method: 'POST',
          url: '/api/v1/share-requests',
          headers: { cookie: c.cookies.consumer },
          payload: ask(cond.id),
        })
      ).json();
      expect(r2.steps).toEqual([
        expect.objectContaining({ reviewer: 'provider', status: 'pending', workingDaysLeft: 2 }),
      ]);
      const ok = (
        await hz.app.inject({
          method: 'POST',
          url: `/api/v1/share-requests/${r2.id}/decisions`,
          headers: { cookie: c.cookies.providerOfficer },
          payload: { decision: 'approve' },
        })
      ).json();
      expect(ok.status).toBe('approved');
      expect(ok.deliverDue).toEqual(expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/));
    } finally {
      await hz.close();
    }
  });

  it('city-2016: a special share goes only to the recipients the provider names', async () => {
    const city = await buildTestApp({ profile: 'city-2016' });
    try {
      const c = await sharingCast(city);
      const res = await publishedResource(city, c, { shareType: 'special' });
      const asking = () =>
        city.app.inject({
          method: 'POST',
          url: '/api/v1/share-requests',
          headers: { cookie: c.cookies.consumer },
          payload: ask(res.id),
        });
      const refused = await asking();
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.details).toMatchObject({ rule: 'named_recipients_only' });
      const named = await city.app.inject({
        method: 'PUT',
        url: `/api/v1/resources/${res.id}/recipients`,
        headers: { cookie: c.cookies.providerOfficer },
        payload: { orgIds: [c.consumer.id] },
      });
      expect(named.statusCode).toBe(200);
      expect((await asking()).statusCode).toBe(201);
      // another body still cannot ask
      expect(
        (
          await city.app.inject({
            method: 'POST',
            url: '/api/v1/share-requests',
            headers: { cookie: c.cookies.otherConsumer },
            payload: ask(res.id),
          })
        ).statusCode,
      ).toBe(403);
    } finally {
      await city.close();
    }
  });
});
