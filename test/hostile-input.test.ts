import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../src/modules/identity/index.js';
import type { RouteInfo } from '../src/server/platform/access.js';
import { buildOrg, buildTestApp, buildUser, login } from './helpers.js';
import { person, publishedResource, sharingCast } from './factories/sharing.js';

/*
 * Values PostgreSQL cannot take, sent to every route in the application's route table that
 * declares path parameters, a query string, headers or a JSON body: a NUL character and a lone
 * UTF-16 surrogate in every string (and every key the client chooses), an overflowing number in
 * every integer and number. Each must answer 400 VALIDATION_FAILED naming the field, never a 5xx,
 * and write nothing. The cases come from the routes' schemas, so a new route is covered as soon as
 * it is added.
 */

// Top-level await: the cases are made from the running application's routes.
const ctx = await buildTestApp();
afterAll(() => ctx.close());
// A user holding every role, so that no route refuses before looking at its input.
const everyone = await buildUser(ctx.db, (await buildOrg(ctx.db)).id, [...ROLES]);
const cookie = await login(ctx.app, everyone.username);

/**
 * What "nothing written" means: every row of every table, hashed. The rate-limit counters are
 * left out: sign-in attempts are counted before their input is looked at, by design. So is a
 * session's last-seen time, which any signed-in request moves on (at most once a minute) for the
 * idle timeout.
 */
async function snapshot(): Promise<Record<string, string>> {
  const { rows: tables } = await ctx.db.query<{ t: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS t FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
        AND table_name <> 'rate_limits' ORDER BY 1`,
  );
  const { rows } = await ctx.db.query<{ t: string; h: string }>(
    tables
      .map(
        ({ t }) =>
          `SELECT '${t}' AS t, count(*) || ':' || md5(coalesce(string_agg((to_jsonb(x) - 'last_seen_at')::text, '|' ORDER BY (to_jsonb(x) - 'last_seen_at')::text), '')) AS h FROM ${t} x`,
      )
      .join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, r.h]));
}

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const typesOf = (s: Schema) => ([] as unknown[]).concat(s.type ?? []);

/** Strings matching the patterns route schemas use (a new pattern fails loudly below). */
const PATTERN_SAMPLES = ['name', 'ab', '0101', '12345', 'postgres://db/x', '913501000000000000'];

function sampleString(s: Schema): string {
  const formats: Record<string, () => string> = {
    uuid: () => crypto.randomUUID(),
    date: () => '2029-05-05',
    'date-time': () => '2029-05-05T00:00:00Z',
    email: () => 'someone@example.com',
    uri: () => 'https://example.com/push',
  };
  if (typeof s.format === 'string') return formats[s.format]();
  if (typeof s.pattern === 'string') {
    const re = new RegExp(s.pattern, 'u');
    const found = PATTERN_SAMPLES.find((c) => re.test(c));
    if (!found) throw new Error(`no sample string matches ${s.pattern}; add one`);
    return found;
  }
  return 'x'.repeat(Math.max(1, Number(s.minLength ?? 1)));
}

/** A key the client may choose in an open object, and the schema of its value. */
function openEntry(s: Schema): { key: string; schema: unknown } | undefined {
  if (isSchema(s.patternProperties)) {
    const [pattern, schema] = Object.entries(s.patternProperties)[0];
    return { key: sampleString({ pattern }), schema };
  }
  if (isSchema(s.additionalProperties)) return { key: 'name', schema: s.additionalProperties };
  return undefined;
}

/** A value `s` accepts, as small as it allows. */
function sample(s: unknown): unknown {
  if (!isSchema(s)) return null;
  if ('const' in s) return s.const;
  if (Array.isArray(s.enum)) return s.enum[0];
  const union = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (union) return sample(union.find((b) => b.type !== 'null') ?? union[0]);
  const type = typesOf(s).find((t) => t !== 'null');
  if (type === 'string') return sampleString(s);
  if (type === 'integer' || type === 'number')
    return Math.min(Math.max(Number(s.minimum ?? 1), 1), Number(s.maximum ?? 1));
  if (type === 'boolean') return true;
  if (type === 'array')
    return Array.from({ length: Number(s.minItems ?? 0) }, () => sample(s.items));
  if (type === 'object') {
    const props = (s.properties ?? {}) as Schema;
    const out: Schema = Object.fromEntries(
      ((s.required ?? []) as string[]).map((k) => [k, sample(props[k])]),
    );
    const min = Number(s.minProperties ?? 0);
    for (const k of Object.keys(props))
      if (Object.keys(out).length < min && !(k in out)) out[k] = sample(props[k]);
    const open = openEntry(s);
    if (open && Object.keys(out).length < min) out[open.key] = sample(open.schema);
    return out;
  }
  return null;
}

type Kind = 'string' | 'integer' | 'number' | 'key';
/**
 * A place in a value a schema describes where a string or a number goes: its path, and how to
 * build a whole value (valid everywhere else) with `leaf` put there. For `key`, the leaf is a key
 * of an open object at the path.
 */
interface Place {
  path: string[];
  kind: Kind;
  build: (leaf: unknown) => unknown;
  /**
   * A number where a string is accepted too: ajv's type coercion turns the number into a string
   * (1e309 into "Infinity"), which the handler then checks; it is not the schema's to refuse.
   */
  asString?: boolean;
}

function places(s: unknown): Place[] {
  if (!isSchema(s)) return [];
  const union = (s.anyOf ?? s.oneOf) as unknown[] | undefined;
  if (union) {
    const asString = union.some((b) => isSchema(b) && typesOf(b).includes('string'));
    return union
      .flatMap(places)
      .map((p) => (asString && p.kind !== 'string' ? { ...p, asString } : p));
  }
  const types = typesOf(s);
  const leaf = (kind: Kind): Place[] => [{ path: [], kind, build: (v) => v }];
  const strings = Array.isArray(s.enum) && s.enum.every((e) => typeof e === 'string');
  if (types.includes('string') || strings) return leaf('string');
  if (types.includes('integer')) return leaf('integer');
  if (types.includes('number')) return leaf('number');
  if (types.includes('array'))
    return places(s.items).map((p) => ({
      ...p,
      path: ['0', ...p.path],
      build: (v) => [p.build(v)],
    }));
  if (!types.includes('object')) return [];
  const base = sample(s) as Schema;
  const inside = (key: string, schema: unknown): Place[] =>
    places(schema).map((p) => ({
      ...p,
      path: [key, ...p.path],
      build: (v) => ({ ...base, [key]: p.build(v) }),
    }));
  const out = Object.entries((s.properties ?? {}) as Schema).flatMap(([k, p]) => inside(k, p));
  const open = openEntry(s);
  if (open) {
    out.push(...inside(open.key, open.schema));
    out.push({
      path: [],
      kind: 'key',
      build: (k) => ({ ...base, [k as string]: sample(open.schema) }),
    });
  }
  return out;
}

type Part = 'params' | 'querystring' | 'headers' | 'body';
const PARTS: Part[] = ['params', 'querystring', 'headers', 'body'];
interface Case {
  title: string;
  route: RouteInfo;
  part: Part;
  /** The part's value, with the bad leaf put in. */
  value: unknown;
  /**
   * What the error must name, or undefined when the value does not arrive as sent (a lone
   * surrogate in a URL, a number a string is accepted for): then only no 5xx and nothing written.
   */
  field?: string;
  rules: string[];
}

const NUL = 'a\u0000b';
const SURROGATE = 'a\ud800b';
/**
 * A lone surrogate has no UTF-8 form. In a URL the nearest is its would-be bytes (CESU-8), which
 * the router refuses in a path (400) and the query string parser leaves as the literal text: such
 * cases check only that nothing breaks and nothing is written.
 */
const SURROGATE_IN_URL = 'a%ED%A0%80b';
/**
 * Stands for SURROGATE_IN_URL until the URL is encoded (encodeURIComponent refuses the real one).
 */
const URL_MARK = 'LONESURROGATE';
/** Past any double (Infinity once parsed), and past bigint and safe integers. */
const OVERFLOW = { number: ['1e309'], integer: ['1e309', '99999999999999999999'] };
const NUMBER_RULES = ['maximum', 'minimum', 'type'];
const BAD_KEY = /[\0\p{Cs}]/gu;

function casesOf(route: RouteInfo): Case[] {
  const out: Case[] = [];
  for (const part of PARTS) {
    const schema = route[part];
    if (!isSchema(schema)) continue;
    for (const p of places(schema)) {
      const where = `${route.method} ${route.url} ${part}`;
      const named = p.path.join('.');
      const add = (c: Omit<Case, 'route' | 'part'>) => out.push({ route, part, ...c });
      if (p.kind === 'string' || p.kind === 'key') {
        const field = (bad: string) =>
          p.kind === 'key' ? [...p.path, bad.replace(BAD_KEY, '\uFFFD')].join('.') : named;
        add({
          title: `${where} ${p.kind === 'key' ? `key in ${named || part}` : named}: NUL`,
          value: p.build(NUL),
          field: field(NUL) || part,
          rules: ['nul_byte'],
        });
        const inUrl = part === 'params' || part === 'querystring';
        add({
          title: `${where} ${p.kind === 'key' ? `key in ${named || part}` : named}: lone surrogate`,
          value: p.build(inUrl ? URL_MARK : SURROGATE),
          field: inUrl ? undefined : field(SURROGATE) || part,
          rules: ['lone_surrogate'],
        });
      } else {
        for (const n of OVERFLOW[p.kind])
          add({
            title: `${where} ${named}: ${n}`,
            value: p.build(part === 'body' ? `__${n}__` : n),
            field: p.asString ? undefined : named,
            rules: NUMBER_RULES,
          });
      }
    }
  }
  return out;
}

/** The request of a case: every declared part valid (as sampled) but the one with the bad leaf. */
function requestOf(c: Case) {
  const partValue = (part: Part) => (part === c.part ? c.value : sample(c.route[part]));
  const encode = (v: unknown) =>
    encodeURIComponent(String(v)).replaceAll(URL_MARK, SURROGATE_IN_URL);
  let url = c.route.url;
  if (isSchema(c.route.params))
    for (const [k, v] of Object.entries(partValue('params') as Schema))
      url = url.replace(`:${k}`, encode(v));
  url = url.replace(/:\w+/g, crypto.randomUUID());
  if (isSchema(c.route.querystring)) {
    const q = Object.entries(partValue('querystring') as Schema)
      .map(([k, v]) => `${encode(k)}=${encode(v)}`)
      .join('&');
    if (q) url += `?${q}`;
  }
  const headers: Record<string, string> = { cookie };
  if (isSchema(c.route.headers)) Object.assign(headers, partValue('headers'));
  let payload: string | undefined;
  if (isSchema(c.route.body)) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(partValue('body')).replace(/"__([0-9e]+)__"/g, '$1');
  }
  return { method: c.route.method as 'POST', url, headers, payload };
}

const routes = ctx.app.routeTable.filter((r) => PARTS.some((p) => isSchema(r[p])));
const cases = routes.flatMap(casesOf);

describe('hostile input, on every route that declares input', () => {
  it('has cases for every route whose declared input holds a string or a number', () => {
    const covered = new Set(cases.map((c) => `${c.route.method} ${c.route.url}`));
    // read without the case generator, so a schema shape it does not understand shows here
    const textOrNumber = (r: RouteInfo) =>
      PARTS.some((p) => /"(string|integer|number)"|"enum"/.test(JSON.stringify(r[p]) ?? ''));
    const uncovered = routes.filter((r) => textOrNumber(r) && !covered.has(`${r.method} ${r.url}`));
    expect(uncovered.map((r) => `${r.method} ${r.url}`)).toEqual([]);
    expect(routes.length).toBeGreaterThanOrEqual(60);
    expect(cases.length).toBeGreaterThanOrEqual(500);
  });

  it.each(cases.map((c) => [c.title, c] as const))('%s', async (_title, c) => {
    const before = await snapshot();
    const res = await ctx.app.inject(requestOf(c));
    expect(res.statusCode, res.body).toBeLessThan(500);
    if (c.field !== undefined) {
      expect(res.statusCode, res.body).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.message).toBeTruthy();
      expect(error.details.field).toBe(c.field);
      expect(c.rules).toContain(error.details.rule);
    } else if (c.part === 'params') {
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('BAD_REQUEST');
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('a channel’s free-form record filters and 核验 values', () => {
  let cast: Awaited<ReturnType<typeof sharingCast>>;
  let records: string;
  let verify: string;
  const person1 = person(1);
  const api = (who: string, method: string, url: string, payload?: object) =>
    ctx.app.inject({ method: method as 'POST', url, headers: { cookie: who }, payload });

  beforeAll(async () => {
    cast = await sharingCast(ctx);
    const resource = await publishedResource(ctx, cast, {
      shareType: 'unconditional',
      rows: [person1, person(2)],
    });
    const channelOf = async (delivery: string) => {
      const req = await api(cast.cookies.consumer, 'POST', '/api/v1/share-requests', {
        resourceId: resource.id,
        fields: ['id_number', 'name', 'income', 'birth_date'],
        purpose: '核定税额',
        scenario: '个税汇算',
        until: '2099-12-31',
        delivery,
      });
      const id = req.json().id;
      await api(cast.cookies.admin, 'POST', `/api/v1/share-requests/${id}/decisions`, {
        decision: 'approve',
      });
      const agreed = await api(
        cast.cookies.consumer,
        'POST',
        `/api/v1/share-requests/${id}/agreement`,
        { accept: true },
      );
      return agreed.json().channelId as string;
    };
    records = await channelOf('api');
    verify = await channelOf('verify');
    // A first read of each marks the channel used; a refused read must then write nothing at all.
    const read = await api(cast.cookies.consumer, 'GET', `/api/v1/channels/${records}/records`);
    expect(read.statusCode, read.body).toBe(200);
    const checked = await api(cast.cookies.consumer, 'POST', `/api/v1/channels/${verify}/verify`, {
      match: { id_number: person1.id_number },
    });
    expect(checked.statusCode, checked.body).toBe(200);
  });

  const reads: [string, string, string][] = [
    // [query, field, rule]
    ['name=a%00b', 'name', 'nul_byte'],
    ['a%00b=1', 'a\uFFFDb', 'nul_byte'],
    ['name.gte=a%00b', 'name.gte', 'nul_byte'],
    ['income=99999999999999999999', 'income', 'type'],
    ['income=1e309', 'income', 'type'],
    ['income.gt=-99999999999999999999', 'income', 'type'],
    ['birth_date=99999-01-01', 'birth_date', 'type'],
    ['cursor=99999999999999999999', 'cursor', 'pattern'],
    ['limit=1e309', 'limit', 'range'],
    ['limit=99999999999999999999', 'limit', 'range'],
  ];
  it.each(reads)('records?%s → 400 naming %s (%s), nothing written', async (query, field, rule) => {
    const before = await snapshot();
    const res = await api(
      cast.cookies.consumer,
      'GET',
      `/api/v1/channels/${records}/records?${query}`,
    );
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field, rule } });
    expect(await snapshot()).toEqual(before);
  });

  const verifies: [string, string, string, string][] = [
    // [label, match as JSON, field, rule]
    ['NUL in a value', '{"name": "a\\u0000b"}', 'match.name', 'nul_byte'],
    ['lone surrogate in a value', '{"name": "a\\ud800b"}', 'match.name', 'lone_surrogate'],
    ['integer past bigint', '{"income": 99999999999999999999}', 'income', 'type'],
    // a value may be a string, so ajv turns these numbers into one ("Infinity"); the field's type
    // then refuses it
    ['Infinity', '{"income": 1e309}', 'income', 'type'],
  ];
  it.each(verifies)('verify with %s → 400, nothing written', async (_label, json, field, rule) => {
    const before = await snapshot();
    const res = await ctx.app.inject({
      method: 'POST',
      url: `/api/v1/channels/${verify}/verify`,
      headers: { cookie: cast.cookies.consumer, 'content-type': 'application/json' },
      payload: `{"match": {"id_number": "${person1.id_number}", ${json.slice(1, -1)}}}`,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field, rule } });
    expect(await snapshot()).toEqual(before);
  });
});

describe('deeply nested JSON', () => {
  // A copy of the path at every level made the check of a body quadratic in its depth: 40,000
  // levels (80 kB) held the server for four minutes. Nesting is now walked in linear time.
  const DEPTH = 100_000;
  const bodies: [string, string][] = [
    ['arrays', `${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}`],
    ['objects in a field', `{"name":${'{"a":'.repeat(DEPTH)}"x"${'}'.repeat(DEPTH)}}`],
    ['arrays ending in a NUL', `{"name":${'['.repeat(DEPTH)}"a\\u0000"${']'.repeat(DEPTH)}}`],
  ];
  const targets = ['POST /api/v1/systems', 'POST /api/v1/auth/login', 'PATCH /api/v1/users/:id'];
  it.each(targets.flatMap((t) => bodies.map(([label, payload]) => [t, label, payload] as const)))(
    '%s with %s 100,000 deep → 400 at once, nothing written',
    async (target, _label, payload) => {
      const [method, url] = target.split(' ');
      const before = await snapshot();
      const started = performance.now();
      const res = await ctx.app.inject({
        method: method as 'POST',
        url: url.replace(':id', crypto.randomUUID()),
        headers: { cookie, 'content-type': 'application/json' },
        payload,
      });
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(await snapshot()).toEqual(before);
    },
  );
});
