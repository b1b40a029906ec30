/**
 * Object-level access (OWASP API1, BOLA/IDOR), swept over the whole route table on the demo
 * deployment: another body's object answers exactly as a missing one, and no list shows another
 * body's objects that are not public. New routes are covered as they appear: a route with a path
 * parameter the sweep cannot classify fails the test until it is added to SWEEP below.
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../src/demo/seed.js';
import { buildTestApp, login, type TestContext } from './helpers.js';

/** Kinds of object a path parameter names; each query lists every such object and its bodies. */
const KINDS = {
  system: `SELECT json_build_object('id', id) AS params, ARRAY[org_id] AS orgs FROM systems`,
  systemTable: `SELECT json_build_object('id', s.id, 'tableId', t.id) AS params, ARRAY[s.org_id] AS orgs
    FROM system_tables t JOIN systems s ON s.id = t.system_id`,
  /** An entry never published: the whole of it belongs to its provider. */
  unpublishedResource: `SELECT json_build_object('id', id) AS params, ARRAY[provider_org_id] AS orgs
    FROM resources WHERE published_version IS NULL`,
  /** A published entry's pool (rows, batches, changes, quality): the provider's alone. */
  pooledResource: `SELECT json_build_object('id', r.id) AS params, ARRAY[r.provider_org_id] AS orgs
    FROM resources r JOIN pool_tables p ON p.resource_id = r.id`,
  classifiedField: `SELECT json_build_object('id', r.id, 'field', c.field) AS params,
      ARRAY[r.provider_org_id] AS orgs
    FROM classification_proposals c JOIN resources r ON r.id = c.resource_id`,
  batch: `SELECT json_build_object('id', b.id) AS params, ARRAY[r.provider_org_id] AS orgs
    FROM batches b JOIN resources r ON r.id = b.resource_id`,
  shareRequest: `SELECT json_build_object('id', id) AS params,
      ARRAY[requester_org_id, provider_org_id] AS orgs FROM share_requests`,
  channel: `SELECT json_build_object('id', id) AS params,
      ARRAY[consumer_org_id, provider_org_id] AS orgs FROM channels`,
  user: `SELECT json_build_object('id', id) AS params, ARRAY[org_id] AS orgs FROM users`,
  apiClient: `SELECT json_build_object('id', id) AS params, ARRAY[org_id] AS orgs FROM api_clients`,
  functionItem: `SELECT json_build_object('id', id) AS params, ARRAY[org_id] AS orgs
    FROM function_data_items`,
  /** An organisation's own management (its API clients): confined to its staff. */
  organisation: `SELECT json_build_object('id', id) AS params, ARRAY[id] AS orgs FROM organisations`,
} as const;
type Kind = keyof typeof KINDS;

interface Probe {
  kind: Kind;
  query?: string;
  payload?: unknown;
  /** Sent raw with this content type instead of JSON. */
  contentType?: string;
}
/** Routes whose parameter names no object of a body, with the reason. */
interface NotOwned {
  notOwned: string;
}

const SWEEP: Record<string, Probe | NotOwned> = {
  'GET /api/v1/orgs/:id': {
    notOwned: 'the organisation directory is shown to every signed-in user (GET /orgs)',
  },
  'PATCH /api/v1/orgs/:id': { kind: 'organisation', payload: { level: '市级' } },
  'GET /api/v1/users/:id': { kind: 'user' },
  'PATCH /api/v1/users/:id': { kind: 'user', payload: { displayName: '改名' } },
  'POST /api/v1/users/:id/password': { kind: 'user', payload: {} },
  'POST /api/v1/orgs/:id/clients': { kind: 'organisation', payload: { name: '越权客户端' } },
  'DELETE /api/v1/clients/:id': { kind: 'apiClient' },
  'PUT /api/v1/calendar/overrides/:day': { notOwned: 'calendar days are platform-wide' },
  'DELETE /api/v1/calendar/overrides/:day': { notOwned: 'calendar days are platform-wide' },
  'POST /api/v1/resources/:id/batches': {
    kind: 'pooledResource',
    query: 'mode=append',
    contentType: 'text/csv',
    payload: 'uscc\n',
  },
  'GET /api/v1/resources/:id/pool': { kind: 'pooledResource' },
  'GET /api/v1/resources/:id/rows': { kind: 'pooledResource' },
  'GET /api/v1/resources/:id/batches': { kind: 'pooledResource' },
  'GET /api/v1/batches/:id': { kind: 'batch' },
  'GET /api/v1/batches/:id/rejected': { kind: 'batch' },
  'GET /api/v1/resources/:id/changes': { kind: 'pooledResource' },
  'GET /api/v1/resources/:id/quality': { kind: 'pooledResource' },
  'GET /api/v1/resources/:id/classification': { kind: 'pooledResource' },
  'POST /api/v1/resources/:id/classification/:field': {
    kind: 'classifiedField',
    payload: { accept: true },
  },
  'GET /api/v1/resources/:id': { kind: 'unpublishedResource' },
  'PATCH /api/v1/resources/:id': { kind: 'unpublishedResource', payload: { summary: '越权修改' } },
  'POST /api/v1/resources/:id/submit': { kind: 'unpublishedResource', payload: { comment: 'x' } },
  'POST /api/v1/resources/:id/approve': { kind: 'unpublishedResource', payload: { comment: 'x' } },
  'POST /api/v1/resources/:id/reject': { kind: 'unpublishedResource', payload: { comment: 'x' } },
  'POST /api/v1/resources/:id/publish': { kind: 'unpublishedResource', payload: { comment: 'x' } },
  'POST /api/v1/resources/:id/retire': { kind: 'unpublishedResource', payload: { comment: 'x' } },
  'GET /api/v1/resources/:id/versions': { kind: 'unpublishedResource' },
  'GET /api/v1/resources/:id/diff': { kind: 'unpublishedResource', query: 'from=1&to=1' },
  'GET /api/v1/systems/:id': { kind: 'system' },
  'PATCH /api/v1/systems/:id': { kind: 'system', payload: { description: '越权修改' } },
  'GET /api/v1/systems/:id/tables': { kind: 'system' },
  'POST /api/v1/systems/:id/tables': {
    kind: 'system',
    payload: { name: 't_sweep', columns: [{ name: 'a', type: 'text' }] },
  },
  'PATCH /api/v1/systems/:id/tables/:tableId': {
    kind: 'systemTable',
    payload: { comment: '越权修改' },
  },
  'POST /api/v1/systems/:id/tables/import': {
    kind: 'system',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    payload: 'tables-template.xlsx',
  },
  'POST /api/v1/systems/:id/tables/introspect': {
    kind: 'system',
    payload: { connectionString: 'postgres://nobody@127.0.0.1:1/none' },
  },
  'PATCH /api/v1/function-data/:id': { kind: 'functionItem', payload: { duty: '越权修改' } },
  'DELETE /api/v1/function-data/:id': { kind: 'functionItem' },
  'GET /api/v1/share-requests/:id': { kind: 'shareRequest' },
  'POST /api/v1/share-requests/:id/decisions': {
    kind: 'shareRequest',
    payload: { decision: 'approve' },
  },
  'POST /api/v1/share-requests/:id/agreement': { kind: 'shareRequest', payload: { accept: true } },
  'PUT /api/v1/resources/:id/recipients': { kind: 'unpublishedResource', payload: { orgIds: [] } },
  'GET /api/v1/channels/:id': { kind: 'channel' },
  'GET /api/v1/channels/:id/records': { kind: 'channel' },
  'GET /api/v1/channels/:id/changes': { kind: 'channel' },
  'GET /api/v1/channels/:id/export': { kind: 'channel', query: 'format=csv' },
  'POST /api/v1/channels/:id/verify': { kind: 'channel', payload: { match: { name: '张三' } } },
  'POST /api/v1/channels/:id/suspend': { kind: 'channel', payload: { reason: '越权' } },
  'POST /api/v1/channels/:id/resume': { kind: 'channel', payload: { reason: '越权' } },
  'POST /api/v1/channels/:id/revoke': { kind: 'channel', payload: { reason: '越权' } },
  'POST /api/v1/channels/:id/renew': { kind: 'channel', payload: { until: '2099-12-31' } },
  'GET /api/v1/channels/:id/usage': { kind: 'channel' },
};

/** List routes that need a query to answer at all. */
const LIST_QUERIES: Record<string, string> = {
  'GET /api/v1/calendar/deadline': 'from=2026-01-05&days=5',
  'GET /api/v1/catalog/dedupe': `name=${encodeURIComponent('企业登记信息')}`,
};

/**
 * What a body may not see of others: ids of their registrations, unpublished entries, batches,
 * requests, channels, users and clients, and the codes of their unpublished entries.
 */
const PRIVATE = `
  SELECT id::text AS token, ARRAY[org_id] AS orgs FROM systems
  UNION ALL SELECT t.id::text, ARRAY[s.org_id] FROM system_tables t JOIN systems s ON s.id = t.system_id
  UNION ALL SELECT id::text, ARRAY[org_id] FROM registered_datasets
  UNION ALL SELECT id::text, ARRAY[org_id] FROM function_data_items
  UNION ALL SELECT id::text, ARRAY[provider_org_id] FROM resources WHERE published_version IS NULL
  UNION ALL SELECT code, ARRAY[provider_org_id] FROM resources WHERE published_version IS NULL
  UNION ALL SELECT b.id::text, ARRAY[r.provider_org_id] FROM batches b JOIN resources r ON r.id = b.resource_id
  UNION ALL SELECT id::text, ARRAY[requester_org_id, provider_org_id] FROM share_requests
  UNION ALL SELECT id::text, ARRAY[consumer_org_id, provider_org_id] FROM channels
  UNION ALL SELECT id::text, ARRAY[org_id] FROM users
  UNION ALL SELECT id::text, ARRAY[org_id] FROM api_clients`;

/** Tables whose rows a refused request must leave as they were (columns that count use aside). */
const WATCHED = [
  'organisations',
  'users',
  'api_clients',
  'systems',
  'system_tables',
  'function_data_items',
  'function_data_reviews',
  'resources',
  'resource_versions',
  'classification_proposals',
  'batches',
  'share_requests',
  'share_steps',
  'share_recipients',
  'channels',
];
const VOLATILE = ['last_used_at', 'last_login_at'];

interface Actor {
  label: string;
  orgId: string;
  headers: Record<string, string>;
}

const PASSWORD = 'Demo-pass-2026';
/** The two bodies the sweep probes from: departments with no sharing between them in the demo. */
const BODIES = ['gaj', 'jyj'] as const;
const DEPARTMENTS = ['gaj', 'scjg', 'rsj', 'swj', 'wjw', 'zrzy', 'jyj', 'jtj'];

describe('object-level access across bodies, over the whole route table', () => {
  let ctx: TestContext;
  let orgIds: Record<string, string>;
  let actors: Record<string, Actor[]>;
  let admin: Actor;
  let template: Buffer;

  const concrete = (url: string, params: Record<string, string>) =>
    url.replace(/:([A-Za-z]+)/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`no value for :${name} in ${url}`);
      return params[name];
    });

  async function call(who: Actor, method: string, url: string, probe?: Partial<Probe>) {
    const raw = probe?.contentType !== undefined;
    const payload =
      probe?.payload === 'tables-template.xlsx'
        ? template
        : raw
          ? (probe?.payload as string)
          : probe?.payload === undefined
            ? undefined
            : JSON.stringify(probe.payload);
    const res = await ctx.app.inject({
      method: method as 'GET',
      url: probe?.query ? `${url}?${probe.query}` : url,
      headers: {
        ...who.headers,
        ...(payload === undefined
          ? {}
          : { 'content-type': probe?.contentType ?? 'application/json' }),
      },
      payload,
    });
    const type = String(res.headers['content-type'] ?? '');
    return {
      status: res.statusCode,
      type,
      raw: res.rawPayload,
      body: type.startsWith('application/json') ? res.json() : res.body,
    };
  }

  async function fingerprint(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const table of WATCHED) {
      const { rows } = await ctx.db.query(
        `SELECT md5(coalesce(string_agg((to_jsonb(t) - $1::text[])::text, ',' ORDER BY (to_jsonb(t) - $1::text[])::text), '')) AS h FROM ${table} t`,
        [VOLATILE],
      );
      out[table] = rows[0].h;
    }
    return out;
  }

  beforeAll(async () => {
    ctx = await buildTestApp();
    expect(await seedDemo(ctx.db, PASSWORD)).toBe(true);
    const { rows } = await ctx.db.query(
      `SELECT short_code, id FROM organisations WHERE short_code IS NOT NULL`,
    );
    orgIds = Object.fromEntries(rows.map((r) => [r.short_code, r.id]));
    const session = async (username: string, orgId: string): Promise<Actor> => ({
      label: username,
      orgId,
      headers: { cookie: await login(ctx.app, username, PASSWORD) },
    });
    admin = await session('admin', orgIds.sjj);
    actors = {};
    for (const code of BODIES) {
      const org = orgIds[code];
      const officer = await session(`${code}.officer`, org);
      // a machine client of the body, acting for it with an API key
      const created = await call(officer, 'POST', `/api/v1/orgs/${org}/clients`, {
        payload: { name: `${code} 前置机` },
      });
      expect(created.status).toBe(201);
      actors[code] = [
        officer,
        await session(`${code}.cdo`, org),
        await session(`${code}.consumer`, org),
        {
          label: `${code} API client`,
          orgId: org,
          headers: { authorization: `Bearer ${(created.body as { key: string }).key}` },
        },
      ];
    }
    // a body with no objects at all: the authorised operator company
    actors.sjjt = [await session('operator', orgIds.sjjt)];
    const tpl = await call(admin, 'GET', '/api/v1/registry/tables-template.xlsx');
    expect(tpl.status).toBe(200);
    template = tpl.raw;
  }, 120_000);
  afterAll(() => ctx?.close());

  it('classifies every route with a path parameter, and names no route that is gone', () => {
    const withParams = ctx.app.routeTable
      .filter((r) => r.url.includes('/:'))
      .map((r) => `${r.method} ${r.url}`);
    const unclassified = withParams.filter((r) => !(r in SWEEP));
    expect(
      unclassified,
      `add these routes to SWEEP in test/idor-sweep.test.ts: the kind of object each parameter names (or notOwned with the reason)`,
    ).toEqual([]);
    expect(Object.keys(SWEEP).filter((r) => !withParams.includes(r))).toEqual([]);
  });

  it('answers another body’s object exactly as a missing one, on every route, and changes nothing', async () => {
    const before = await fingerprint();
    const failures: string[] = [];
    let compared = 0;
    for (const route of ctx.app.routeTable.filter((r) => r.url.includes('/:'))) {
      const key = `${route.method} ${route.url}`;
      const probe = SWEEP[key];
      if (!probe || 'notOwned' in probe) continue;
      const { rows: objects } = await ctx.db.query<{
        params: Record<string, string>;
        orgs: string[];
      }>(KINDS[probe.kind]);
      for (const code of [...BODIES, 'sjjt']) {
        const self = orgIds[code];
        const other = BODIES.find((b) => b !== code);
        // another body's object: the other probing body's own where it has one
        const foreign =
          objects.find((o) => other && o.orgs.includes(orgIds[other])) ??
          objects.find((o) => !o.orgs.includes(self));
        if (!foreign) {
          failures.push(`${key}: the demo holds no ${probe.kind} outside ${code}; add one`);
          continue;
        }
        const missing = Object.fromEntries(
          Object.entries(foreign.params).map(([k, v]) => [
            k,
            /^[0-9a-f-]{36}$/.test(v) ? crypto.randomUUID() : v,
          ]),
        );
        for (const who of actors[code]) {
          const a = await call(who, route.method, concrete(route.url, foreign.params), probe);
          const b = await call(who, route.method, concrete(route.url, missing), probe);
          compared++;
          const err = (b.body as { error?: { code?: string; details?: { permission?: string } } })
            .error;
          const reachesLookup =
            (b.status === 404 && err?.code === 'NOT_FOUND') ||
            (b.status === 403 && err?.details?.permission !== undefined);
          if (!reachesLookup)
            failures.push(
              `${key} as ${who.label}: a random id answered ${b.status} ${JSON.stringify(b.body)}; fix the request SWEEP sends so it reaches the object's lookup`,
            );
          else if (a.status !== b.status || JSON.stringify(a.body) !== JSON.stringify(b.body))
            failures.push(
              `${key} as ${who.label}: another body's ${probe.kind} answered ${a.status} ${JSON.stringify(a.body).slice(0, 300)}, a missing one ${b.status} ${JSON.stringify(b.body)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(compared).toBeGreaterThan(300);
    expect(await fingerprint()).toEqual(before);
  }, 300_000);

  it('finds the object the sweep names, when its own body asks (so a refusal above means something)', async () => {
    const failures: string[] = [];
    for (const route of ctx.app.routeTable.filter(
      (r) => r.method === 'GET' && r.url.includes('/:'),
    )) {
      const key = `${route.method} ${route.url}`;
      const probe = SWEEP[key];
      if (!probe || 'notOwned' in probe) continue;
      const { rows } = await ctx.db.query<{ params: Record<string, string>; orgs: string[] }>(
        KINDS[probe.kind],
      );
      const object = rows.find((o) => DEPARTMENTS.some((d) => orgIds[d] === o.orgs[0]));
      if (!object) {
        failures.push(`${key}: no ${probe.kind} in the demo`);
        continue;
      }
      const code = Object.entries(orgIds).find(([, id]) => id === object.orgs[0])![0];
      const owner: Actor = {
        label: `${code}.officer`,
        orgId: object.orgs[0],
        headers: { cookie: await login(ctx.app, `${code}.officer`, PASSWORD) },
      };
      const own = await call(owner, 'GET', concrete(route.url, object.params), probe);
      if (own.status === 404)
        failures.push(`${key}: its own body's officer gets 404 for its ${probe.kind}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('lists no other body’s private objects, whatever the list’s filters say', async () => {
    const doc = (await call(admin, 'GET', '/api/openapi.json')).body as {
      paths: Record<
        string,
        Record<
          string,
          { parameters?: { in: string; name: string; schema: Record<string, unknown> }[] }
        >
      >;
    };
    const { rows: secrets } = await ctx.db.query<{ token: string; orgs: string[] }>(PRIVATE);
    const lists = ctx.app.routeTable.filter(
      (r) => r.method === 'GET' && r.url.startsWith('/api/v1/') && !r.url.includes('/:'),
    );
    expect(lists.length).toBeGreaterThan(15);
    const failures: string[] = [];
    let scanned = 0;
    for (const route of lists) {
      const key = `GET ${route.url}`;
      const params = (doc.paths[route.url]?.get?.parameters ?? []).filter((p) => p.in === 'query');
      const base = LIST_QUERIES[key] ? [LIST_QUERIES[key]] : [''];
      const variants = [...base];
      for (const p of params) {
        const s = p.schema;
        const values =
          (s.enum as string[] | undefined) ??
          (s.type === 'boolean'
            ? ['true', 'false']
            : s.format === 'uuid'
              ? // the probing bodies, the provider and a consumer of the demo's channels
                ['gaj', 'jyj', 'scjg', 'swj'].map((c) => orgIds[c])
              : []);
        for (const v of values)
          variants.push([base[0], `${p.name}=${v}`].filter(Boolean).join('&'));
      }
      const maxPage = params.find((p) => p.name === 'pageSize')?.schema.maximum as
        | number
        | undefined;
      for (const code of [...BODIES, 'sjjt']) {
        const forbidden = new Set(
          secrets.filter((s) => !s.orgs.includes(orgIds[code])).map((s) => s.token),
        );
        // every actor with the plain query; each filter by one of them in turn
        const runs = variants.flatMap((q, i) =>
          (i === 0 ? actors[code] : [actors[code][i % actors[code].length]]).map(
            (who) => [who, q] as const,
          ),
        );
        for (const [who, q] of runs) {
          for (let page = 1; page <= 50; page++) {
            const paging = maxPage ? `page=${page}&pageSize=${maxPage}` : '';
            const url = `${route.url}?${[q, paging].filter(Boolean).join('&')}`;
            const res = await call(who, 'GET', url);
            scanned++;
            if (res.status === 400 && q === base[0])
              failures.push(
                `${key} as ${who.label}: 400 ${JSON.stringify(res.body)}; give it a query in LIST_QUERIES`,
              );
            if (res.status >= 300) break;
            const seen = [...(await tokensOf(res))].filter((t) => forbidden.has(t));
            if (seen.length)
              failures.push(`${url} as ${who.label} shows another body's ${seen.join(', ')}`);
            const body = res.body as { total?: number; items?: unknown[] };
            if (!maxPage || typeof body.total !== 'number' || page * maxPage >= body.total) break;
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(scanned).toBeGreaterThan(400);
  }, 600_000);
});

/** Every string in an answer: JSON values and keys, spreadsheet cells, or the lines of a text. */
async function tokensOf(res: { type: string; raw: Buffer; body: unknown }): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) {
        out.add(k);
        walk(x);
      }
  };
  if (res.type.startsWith('application/json')) walk(res.body);
  else if (res.type.includes('spreadsheetml')) {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.raw as unknown as ArrayBuffer);
    book.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          out.add(String(cell.text ?? '').trim());
        }),
      ),
    );
  } else for (const t of String(res.body).split(/[\s,;"]+/)) out.add(t);
  return out;
}
