import crypto from 'node:crypto';
import pg from 'pg';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, buildOrg, buildUser, login, type TestContext } from './helpers.js';
import { publishEntry } from './catalog.fixtures.js';

const LIVE_PG =
  process.env.TEST_INTROSPECT_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const LIVE_MYSQL = process.env.TEST_INTROSPECT_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * Runs `fn` against a live server, or says clearly why the test is skipped when the server does not
 * answer.
 */
async function reachable(what: string, probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch (err) {
    console.warn(
      `SKIPPED live ${what} introspection: the server does not answer (${(err as Error).message})`,
    );
    return false;
  }
}

describe('registration (一本底帐)', () => {
  let ctx: TestContext;
  let officer: string, otherOfficer: string, consumer: string, reviewer: string, admin: string;
  let orgId: string;

  beforeAll(async () => {
    ctx = await buildTestApp();
    const authority = await buildOrg(ctx.db, { type: 'authority' });
    const org = await buildOrg(ctx.db, { name: '市人社局' });
    orgId = org.id;
    const other = await buildOrg(ctx.db, { name: '市卫健委' });
    officer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['officer'])).username);
    consumer = await login(ctx.app, (await buildUser(ctx.db, org.id, ['consumer'])).username);
    otherOfficer = await login(ctx.app, (await buildUser(ctx.db, other.id, ['officer'])).username);
    reviewer = await login(ctx.app, (await buildUser(ctx.db, authority.id, ['reviewer'])).username);
    admin = await login(
      ctx.app,
      (await buildUser(ctx.db, authority.id, ['platform_admin'])).username,
    );
  });
  afterAll(() => ctx.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    cookie: string,
    payload?: unknown,
  ) =>
    ctx.app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { cookie },
      payload: payload as object,
    });
  const system = async (name: string) => {
    const res = await call('POST', '/systems', officer, {
      name,
      owner: '信息科 张工',
      constructionStage: 'building',
      description: '社保业务经办',
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const columns = [
    { name: 'id', type: 'bigint', primaryKey: true, nullable: false, comment: '主键' },
    { name: 'sfzh', type: 'varchar(18)', length: 18, nullable: false, comment: '公民身份号码' },
    { name: 'xm', type: 'varchar(50)', length: 50, comment: '姓名' },
    { name: 'cbrq', type: 'date', comment: '参保日期' },
    { name: 'jfje', type: 'numeric(12,2)', comment: '缴费金额' },
  ];

  it('registers a system and its tables by hand, visible only to its body and the authority', async () => {
    const s = await system('社会保险经办系统');
    expect(s).toMatchObject({
      orgId,
      accepted: false,
      constructionStage: 'building',
      tableCount: 0,
    });
    const t = await call('POST', `/systems/${s.id}/tables`, officer, {
      databaseName: 'sbjb',
      name: 'cb_ry',
      comment: '参保人员',
      columns,
    });
    expect(t.statusCode, t.body).toBe(201);
    expect(t.json()).toMatchObject({ name: 'cb_ry', catalogued: false, source: 'manual' });
    expect(t.json().columns[1]).toEqual({
      name: 'sfzh',
      type: 'varchar(18)',
      length: 18,
      nullable: false,
      primaryKey: false,
      comment: '公民身份号码',
    });
    expect((await call('GET', `/systems/${s.id}/tables`, officer)).json().items).toHaveLength(1);
    expect((await call('GET', `/systems/${s.id}`, otherOfficer)).statusCode).toBe(404);
    expect((await call('GET', `/systems/${s.id}/tables`, otherOfficer)).statusCode).toBe(404);
    expect((await call('GET', `/systems/${s.id}`, reviewer)).statusCode).toBe(200);
    expect((await call('GET', '/systems', otherOfficer)).json().items).toHaveLength(0);
    // others cannot write to it; a consumer cannot register
    expect(
      (await call('POST', `/systems/${s.id}/tables`, otherOfficer, { name: 'x', columns }))
        .statusCode,
    ).toBe(404);
    expect(
      (
        await call('POST', '/systems', consumer, {
          name: 'x',
          owner: 'y',
          constructionStage: 'online',
        })
      ).statusCode,
    ).toBe(403);
    const dup = await call('POST', `/systems/${s.id}/tables`, officer, {
      name: 'dup',
      columns: [columns[0], { ...columns[0], name: 'ID' }],
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.json().error.details).toMatchObject({ field: 'columns.1.name', rule: 'unique' });
  });

  it('will not mark a system accepted while a table is neither catalogued nor exempted with a legal basis [000 §11]', async () => {
    const s = await system('就业服务系统');
    const empty = await call('PATCH', `/systems/${s.id}`, officer, { accepted: true });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.details).toMatchObject({
      field: 'accepted',
      rule: 'no_data_registered',
    });
    const a = (
      await call('POST', `/systems/${s.id}/tables`, officer, {
        name: 'jy_dj',
        comment: '就业登记',
        columns,
      })
    ).json();
    const b = (
      await call('POST', `/systems/${s.id}/tables`, officer, {
        name: 'xt_rz',
        comment: '系统日志',
        columns: [columns[0]],
      })
    ).json();
    const refused = await call('PATCH', `/systems/${s.id}`, officer, {
      accepted: true,
      constructionStage: 'online',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details).toMatchObject({
      field: 'accepted',
      rule: 'tables_not_catalogued_or_exempted',
      tables: ['jy_dj', 'xt_rz'],
    });
    expect((await call('GET', `/systems/${s.id}`, officer)).json()).toMatchObject({
      accepted: false,
      constructionStage: 'building',
      uncataloguedTables: 2,
    });

    // one table becomes a catalog entry in one step, its columns the fields
    const made = await call('POST', '/resources/from-table', officer, {
      tableId: a.id,
      categoryCode: '0201',
      name: '就业登记信息',
    });
    expect(made.statusCode, made.body).toBe(201);
    const entry = (await call('GET', `/resources/${made.json().id}`, officer)).json();
    expect(entry).toMatchObject({
      status: 'draft',
      sourceSystemId: s.id,
      sourceTableIds: [a.id],
      identifierKind: 'id_card',
      identifierField: 'sfzh',
      shareType: 'unconditional',
    });
    expect(
      entry.fields.map((f: { name: string; label: string; type: string }) => [
        f.name,
        f.label,
        f.type,
      ]),
    ).toEqual([
      ['id', '主键', 'integer'],
      ['sfzh', '公民身份号码', 'string'],
      ['xm', '姓名', 'string'],
      ['cbrq', '参保日期', 'date'],
      ['jfje', '缴费金额', 'decimal'],
    ]);
    expect(entry.fields[1]).toMatchObject({
      sensitivity: 'personal',
      piiKind: 'id_card',
      validator: 'id_card',
      required: true,
      length: 18,
    });
    const stillOne = await call('PATCH', `/systems/${s.id}`, officer, { accepted: true });
    expect(stillOne.json().error.details.tables).toEqual(['xt_rz']);

    // an exemption needs actual words
    expect(
      (
        await call('PATCH', `/systems/${s.id}/tables/${b.id}`, officer, { exemptionBasis: '   ' })
      ).json().error.details,
    ).toMatchObject({ field: 'exemptionBasis', rule: 'not_blank' });
    await call('PATCH', `/systems/${s.id}/tables/${b.id}`, officer, {
      exemptionBasis: '运维日志，不属于公共数据（《网络安全法》第二十一条，日志留存）',
    });
    const accepted = await call('PATCH', `/systems/${s.id}`, officer, { accepted: true });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ accepted: true, uncataloguedTables: 0 });
    expect(accepted.json().acceptedAt).toBeTruthy();
    await publishEntry(ctx.app, made.json().id, { provider: officer, reviewer, admin });
  });

  it('marks columns whose sampled values are personal data, and entries made from the table propose masking', async () => {
    const live = new pg.Client({ connectionString: LIVE_PG, connectionTimeoutMillis: 3000 });
    if (!(await reachable('PostgreSQL', () => live.connect()))) return;
    const schema = `gs_detect_${crypto.randomBytes(4).toString('hex')}`;
    try {
      await live.query(`CREATE SCHEMA ${schema}`);
      // column names that say nothing: only the values tell
      await live.query(
        `CREATE TABLE ${schema}.t1 (k int PRIMARY KEY, a varchar(18), b varchar(11), c text)`,
      );
      const { makeIdCard } = await import('../src/lib/check-digits.js');
      for (let i = 0; i < 30; i++) {
        await live.query(`INSERT INTO ${schema}.t1 VALUES ($1, $2, $3, $4)`, [
          i,
          makeIdCard(`440305199001${String(10 + (i % 18))}${String(100 + i)}`),
          `1391234${String(1000 + i)}`,
          `备注${i}`,
        ]);
      }
      const s = await system('社区网格系统');
      const res = await call('POST', `/systems/${s.id}/tables/introspect`, officer, {
        connectionString: LIVE_PG,
        schema,
      });
      expect(res.statusCode, res.body).toBe(200);
      const [t] = res.json().items;
      expect(
        Object.fromEntries(
          t.columns.map((c: { name: string; detectedPii?: string }) => [
            c.name,
            c.detectedPii ?? null,
          ]),
        ),
      ).toEqual({ k: null, a: 'id_card', b: 'mobile', c: null });
      const made = await call('POST', '/resources/from-table', officer, { tableId: t.id });
      expect(made.statusCode, made.body).toBe(201);
      const entry = (await call('GET', `/resources/${made.json().id}`, officer)).json();
      const fields = Object.fromEntries(
        entry.fields.map(
          (f: { name: string; piiKind: string | null; sensitivity: string; masking: string }) => [
            f.name,
            [f.piiKind, f.sensitivity, f.masking],
          ],
        ),
      );
      expect(fields.a).toEqual(['id_card', 'personal', 'partial']);
      expect(fields.b).toEqual(['mobile', 'personal', 'partial']);
      expect(fields.c[0]).toBeNull();
      // ...and stay on record as proposals, with what the sample showed, for the provider to accept
      // or change
      await publishEntry(ctx.app, made.json().id, { provider: officer, reviewer, admin });
      const proposals = (
        await call('GET', `/resources/${made.json().id}/classification`, officer)
      ).json().items;
      expect(
        proposals.map(
          (p: {
            field: string;
            detectedKind: string;
            share: number;
            sampled: number;
            source: string;
            status: string;
          }) => [p.field, p.detectedKind, p.share, p.sampled, p.source, p.status],
        ),
      ).toEqual([
        ['a', 'id_card', 1, 30, 'registration', 'proposed'],
        ['b', 'mobile', 1, 30, 'registration', 'proposed'],
      ]);
    } finally {
      await live.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await live.end();
    }
  });

  it('reads table structures from a live PostgreSQL database', async () => {
    const admin = new pg.Client({ connectionString: LIVE_PG, connectionTimeoutMillis: 3000 });
    if (!(await reachable('PostgreSQL', () => admin.connect()))) return;
    const schema = `gs_introspect_${crypto.randomBytes(4).toString('hex')}`;
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
      await admin.query(
        `CREATE TABLE ${schema}.yl_jg (jgdm char(18) PRIMARY KEY, jgmc varchar(200) NOT NULL, lxdh varchar(20), cwsl integer, clrq date)`,
      );
      await admin.query(`COMMENT ON TABLE ${schema}.yl_jg IS '医疗机构'`);
      await admin.query(`COMMENT ON COLUMN ${schema}.yl_jg.jgmc IS '机构名称'`);
      await admin.query(`CREATE TABLE ${schema}.other (x int)`);
      const s = await system('医疗机构管理系统');
      const res = await call('POST', `/systems/${s.id}/tables/introspect`, officer, {
        connectionString: LIVE_PG,
        schema,
        tables: ['yl_jg'],
      });
      expect(res.statusCode, res.body).toBe(200);
      const [t] = res.json().items;
      expect(res.json().items).toHaveLength(1);
      expect(t).toMatchObject({
        name: 'yl_jg',
        comment: '医疗机构',
        source: 'postgresql',
        databaseName: `postgres.${schema}`,
      });
      expect(t.columns).toEqual([
        {
          name: 'jgdm',
          type: 'character(18)',
          length: 18,
          nullable: false,
          primaryKey: true,
          comment: null,
        },
        {
          name: 'jgmc',
          type: 'character varying(200)',
          length: 200,
          nullable: false,
          primaryKey: false,
          comment: '机构名称',
        },
        {
          name: 'lxdh',
          type: 'character varying(20)',
          length: 20,
          nullable: true,
          primaryKey: false,
          comment: null,
        },
        {
          name: 'cwsl',
          type: 'integer',
          length: null,
          nullable: true,
          primaryKey: false,
          comment: null,
        },
        {
          name: 'clrq',
          type: 'date',
          length: null,
          nullable: true,
          primaryKey: false,
          comment: null,
        },
      ]);
      // the connection string is not kept anywhere
      const stored = await ctx.db.query(
        `SELECT count(*)::int AS n FROM audit_ledger WHERE details::text LIKE '%127.0.0.1:5432%'`,
      );
      expect(stored.rows[0].n).toBe(0);
      // introspecting again refreshes rather than duplicates
      await call('POST', `/systems/${s.id}/tables/introspect`, officer, {
        connectionString: LIVE_PG,
        schema,
      });
      expect(
        (await call('GET', `/systems/${s.id}/tables`, officer))
          .json()
          .items.map((x: { name: string }) => x.name),
      ).toEqual(['other', 'yl_jg']);
    } finally {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  it('reads table structures from a live MySQL/MariaDB database', async () => {
    let conn: mysql.Connection | undefined;
    if (
      !(await reachable('MySQL', async () => {
        conn = await mysql.createConnection({ uri: LIVE_MYSQL, connectTimeout: 3000 });
      }))
    )
      return;
    const table = `gs_introspect_${crypto.randomBytes(4).toString('hex')}`;
    try {
      await conn!.query(
        `CREATE TABLE ${table} (hphm varchar(16) NOT NULL PRIMARY KEY COMMENT '号牌号码', syr varchar(100) COMMENT '所有人', ccdjrq datetime, zt tinyint(1)) COMMENT='机动车基本信息'`,
      );
      const s = await system('机动车管理系统');
      const res = await call('POST', `/systems/${s.id}/tables/introspect`, officer, {
        connectionString: LIVE_MYSQL,
        tables: [table],
      });
      expect(res.statusCode, res.body).toBe(200);
      const [t] = res.json().items;
      expect(t).toMatchObject({
        name: table,
        comment: '机动车基本信息',
        source: 'mysql',
        databaseName: 'test',
      });
      expect(t.columns[0]).toEqual({
        name: 'hphm',
        type: 'varchar(16)',
        length: 16,
        nullable: false,
        primaryKey: true,
        comment: '号牌号码',
      });
      const made = (
        await call('POST', '/resources/from-table', officer, {
          tableId: t.id,
          categoryCode: '0204',
        })
      ).json();
      const entry = (await call('GET', `/resources/${made.id}`, officer)).json();
      expect(entry.name).toBe('机动车基本信息');
      expect(entry.fields.map((f: { type: string }) => f.type)).toEqual([
        'string',
        'string',
        'datetime',
        'boolean',
      ]);
      expect(entry.fields[0]).toMatchObject({ piiKind: 'plate', sensitivity: 'personal' });
    } finally {
      await conn!.query(`DROP TABLE IF EXISTS ${table}`);
      await conn!.end();
    }
  });

  it('answers a connection string that is no URL with a 400 naming it, never a 500', async () => {
    const s = await system('格式错误系统');
    for (const connectionString of [
      'postgresql://>',
      'postgres://host:99999/db',
      'postgres://a:b@[::1/db',
      'mysql://host:port/db',
      'mysql://a:b@[::1/db',
    ]) {
      const res = await call('POST', `/systems/${s.id}/tables/introspect`, officer, {
        connectionString,
      });
      expect(res.statusCode, `${connectionString}: ${res.body}`).toBe(400);
      expect(res.json().error.details).toEqual({ field: 'connectionString', rule: 'format' });
    }
    expect((await call('GET', `/systems/${s.id}/tables`, officer)).json().items).toHaveLength(0);
  });

  it('answers an unreachable database with a 400 naming the connection string, and registers nothing', async () => {
    const s = await system('离线系统');
    const res = await call('POST', `/systems/${s.id}/tables/introspect`, officer, {
      connectionString: 'postgresql://nobody@127.0.0.1:1/none',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toMatchObject({
      field: 'connectionString',
      rule: 'unreachable',
    });
    expect((await call('GET', `/systems/${s.id}/tables`, officer)).json().items).toHaveLength(0);
  });

  it('registers unstructured and purchased data sets', async () => {
    const noSupplier = await call('POST', '/datasets', officer, {
      kind: 'purchased',
      name: '企业征信数据',
    });
    expect(noSupplier.json().error.details).toMatchObject({
      field: 'supplier',
      rule: 'required_for_purchased',
    });
    expect(
      (
        await call('POST', '/datasets', officer, {
          kind: 'purchased',
          name: '企业征信数据',
          supplier: '某征信公司',
          contractNo: 'HT-2025-001',
          validUntil: '2026-12-31',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await call('POST', '/datasets', officer, {
          kind: 'unstructured',
          name: '参保档案扫描件',
          format: 'PDF',
          volume: '2TB',
        })
      ).statusCode,
    ).toBe(201);
    const mine = (await call('GET', '/datasets', officer)).json().items;
    expect(mine.map((d: { kind: string; name: string }) => `${d.kind}:${d.name}`)).toEqual([
      'purchased:企业征信数据',
      'unstructured:参保档案扫描件',
    ]);
    expect((await call('GET', '/datasets', otherOfficer)).json().items).toHaveLength(0);
  });

  it('keeps the body’s function data list [003 §10]', async () => {
    const item = await call('POST', '/function-data', officer, {
      duty: '社会保险登记',
      dutyBasis: '《社会保险法》第五十七条',
      dataName: '参保登记信息',
    });
    expect(item.statusCode, item.body).toBe(201);
    const foreign = await call('POST', '/function-data', otherOfficer, {
      duty: 'x',
      dataName: 'y',
      orgId,
    });
    expect(foreign.statusCode).toBe(403);
    const list = (await call('GET', '/function-data', officer)).json().items;
    expect(list).toHaveLength(1);
    expect((await call('GET', `/function-data?org=${orgId}`, otherOfficer)).statusCode).toBe(404);
    expect(
      (await call('PATCH', `/function-data/${item.json().id}`, otherOfficer, { dataName: 'z' }))
        .statusCode,
    ).toBe(404);
    const badLink = await call('PATCH', `/function-data/${item.json().id}`, officer, {
      resourceId: crypto.randomUUID(),
    });
    expect(badLink.json().error.details).toMatchObject({
      field: 'resourceId',
      rule: 'own_catalog_entry',
    });
    expect((await call('DELETE', `/function-data/${item.json().id}`, officer)).statusCode).toBe(
      200,
    );
    expect((await call('GET', '/function-data', officer)).json().items).toHaveLength(0);
  });

  it('takes the function data list to the data authority for 审定: submit, return with a reason, resubmit, approve [003 §10]', async () => {
    const submit = () => call('POST', '/function-data/submit', officer, {});
    const decide = (who: string, body: object) =>
      call('POST', '/function-data/decision', who, { orgId, ...body });
    const review = async () => (await call('GET', '/function-data', officer)).json().review;
    const task = async (who: string, kind: string) =>
      (await call('GET', '/workbench/tasks', who))
        .json()
        .items.find((t: { kind: string }) => t.kind === kind)?.count ?? 0;
    // an empty list cannot be submitted
    expect((await submit()).json().error.details).toMatchObject({
      field: 'items',
      rule: 'min_items',
    });
    expect(await review()).toBeNull();
    await call('POST', '/function-data', officer, {
      duty: '社会保险登记',
      dataName: '参保登记信息',
    });
    expect((await submit()).json()).toMatchObject({ status: 'submitted', decidedAt: null });
    const waiting = (await call('GET', '/function-data/submitted', reviewer)).json().items;
    expect(waiting).toEqual([expect.objectContaining({ orgId, items: 1 })]);
    expect(await task(reviewer, 'function_data.review')).toBe(1);
    // only the authority decides; a return needs its reason
    expect((await decide(officer, { decision: 'approve' })).statusCode).toBe(403);
    expect((await call('GET', '/function-data/submitted', officer)).statusCode).toBe(403);
    expect((await decide(reviewer, { decision: 'return' })).json().error.details).toMatchObject({
      field: 'comment',
      rule: 'required',
    });
    expect(
      (await decide(reviewer, { decision: 'return', comment: '缺少职责依据' })).json(),
    ).toMatchObject({ status: 'returned', comment: '缺少职责依据' });
    expect(await task(officer, 'function_data.returned')).toBe(1);
    expect((await decide(reviewer, { decision: 'approve' })).json().error.details).toMatchObject({
      rule: 'not_submitted',
      status: 'returned',
    });
    // the body mends its list: the change takes it back to unsubmitted, then it goes again and
    // passes
    const item = (await call('GET', '/function-data', officer)).json().items[0];
    await call('PATCH', `/function-data/${item.id}`, officer, {
      dutyBasis: '《社会保险法》第五十七条',
    });
    expect(await review()).toBeNull();
    await submit();
    expect((await decide(reviewer, { decision: 'approve' })).json()).toMatchObject({
      status: 'approved',
      comment: null,
    });
    expect((await submit()).json().error.details).toMatchObject({ rule: 'already_approved' });
    expect(await task(reviewer, 'function_data.review')).toBe(0);
    const ledger = (
      await ctx.db.query(
        `SELECT action FROM audit_ledger WHERE target_id = $1 AND action LIKE 'function_data.%' ORDER BY seq`,
        [orgId],
      )
    ).rows.map((r) => r.action);
    expect(ledger).toEqual([
      'function_data.submit',
      'function_data.return',
      'function_data.submit',
      'function_data.approve',
    ]);
  });
});
