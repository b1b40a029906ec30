import crypto from 'node:crypto';
import { withTx } from '../../src/db/pool.js';
import {
  changeTable,
  col,
  ensurePoolTable,
  findPoolEntry,
  poolTable,
} from '../../src/modules/pool/index.js';
import { getPoolResource, type CatalogField } from '../../src/modules/catalog/index.js';
import { makeIdCard } from '../../src/lib/check-digits.js';
import { buildOrg, buildUser, login, type TestContext } from '../helpers.js';

const PERSON_FIELDS: CatalogField[] = [
  {
    name: 'id_number',
    label: '公民身份号码',
    type: 'string',
    length: 18,
    required: true,
    sensitivity: 'personal',
    piiKind: 'id_card',
    masking: 'partial',
    validator: 'id_card',
  },
  {
    name: 'name',
    label: '姓名',
    type: 'string',
    length: 50,
    required: true,
    sensitivity: 'personal',
    piiKind: 'name',
    masking: 'partial',
  },
  {
    name: 'mobile',
    label: '手机号码',
    type: 'string',
    length: 11,
    required: false,
    sensitivity: 'personal',
    piiKind: 'mobile',
    masking: 'partial',
  },
  {
    name: 'address',
    label: '住址',
    type: 'string',
    length: 200,
    required: false,
    sensitivity: 'personal',
    piiKind: 'address',
    masking: 'partial',
  },
  {
    name: 'district',
    label: '所属区',
    type: 'string',
    length: 20,
    required: false,
    sensitivity: 'internal',
    masking: 'none',
  },
  {
    name: 'birth_date',
    label: '出生日期',
    type: 'date',
    required: false,
    sensitivity: 'personal',
    masking: 'none',
  },
  {
    name: 'income',
    label: '月收入',
    type: 'integer',
    required: false,
    sensitivity: 'sensitive',
    masking: 'none',
  },
  {
    name: 'bank_card',
    label: '银行卡号',
    type: 'string',
    length: 19,
    required: false,
    sensitivity: 'personal',
    piiKind: 'bank_card',
    masking: 'hash',
  },
];

/** A person row with a valid ID number. */
export function person(i: number, district = i % 2 ? '南山区' : '福田区') {
  const birth = `19${70 + (i % 30)}0${1 + (i % 9)}1${i % 10}`;
  return {
    id_number: makeIdCard(`440305${birth}${String(100 + i).slice(-3)}`),
    name: ['张三', '李四', '王小明', '欧阳娜娜'][i % 4],
    mobile: `1380013${String(1000 + i).slice(-4)}`,
    address: `广东省深圳市${district}科技园路${i}号`,
    district,
    birth_date: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`,
    income: 12345 + i,
    bank_card: `6222020200${String(100000000 + i).slice(-9)}`,
  };
}

/**
 * Two bodies and their people: a provider (officer) and a consumer (consumer), plus platform admin
 * and authority reviewer.
 */
export async function sharingCast(ctx: TestContext) {
  const authority = await buildOrg(ctx.db, { type: 'authority' });
  const provider = await buildOrg(ctx.db, { name: '公安局' });
  const consumer = await buildOrg(ctx.db, { name: '税务局' });
  const other = await buildOrg(ctx.db, { name: '教育局' });
  const users = {
    admin: await buildUser(ctx.db, authority.id, ['platform_admin']),
    reviewer: await buildUser(ctx.db, authority.id, ['reviewer']),
    providerOfficer: await buildUser(ctx.db, provider.id, ['officer']),
    consumer: await buildUser(ctx.db, consumer.id, ['consumer']),
    otherConsumer: await buildUser(ctx.db, other.id, ['consumer']),
  };
  const cookies = Object.fromEntries(
    await Promise.all(
      Object.entries(users).map(async ([k, u]) => [k, await login(ctx.app, u.username)]),
    ),
  ) as Record<keyof typeof users, string>;
  return { authority, provider, consumer, other, users, cookies };
}

/**
 * A resource taken through the catalog's real lifecycle to published, with its pool table holding
 * `rows`.
 */
export async function publishedResource(
  ctx: TestContext,
  cast: Awaited<ReturnType<typeof sharingCast>>,
  opts: {
    shareType: string;
    rows?: Record<string, unknown>[];
    legalBasis?: string;
    name?: string;
    /** The entry's fields and identifier, when not the people register's. */
    fields?: CatalogField[];
    identifierField?: string;
  },
) {
  const call = async (cookie: string, method: string, url: string, payload?: object) => {
    const res = await ctx.app.inject({
      method: method as 'POST',
      url,
      headers: { cookie },
      payload,
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const created = await call(cast.cookies.providerOfficer, 'POST', '/api/v1/resources', {
    name: opts.name ?? `人口基础信息${crypto.randomInt(1e6)}`,
    summary: '全市户籍人口和常住人口的基础信息',
    categoryCode: '0101',
    identifierKind: 'id_card',
    identifierField: opts.identifierField ?? 'id_number',
    shareType: opts.shareType,
    legalBasis: opts.legalBasis ?? '《居民身份证法》第十三条',
    shareConditions: opts.shareType === 'unconditional' ? null : '用于法定职责',
    openType: 'not_open',
    securityLevel: 'important',
    updateFrequency: 'daily',
    keywords: ['人口'],
    fields: opts.fields ?? PERSON_FIELDS,
  });
  await call(cast.cookies.providerOfficer, 'POST', `/api/v1/resources/${created.id}/submit`, {
    comment: '提交',
  });
  await call(cast.cookies.reviewer, 'POST', `/api/v1/resources/${created.id}/approve`, {
    comment: '同意',
  });
  await call(cast.cookies.admin, 'POST', `/api/v1/resources/${created.id}/publish`, {
    comment: '发布',
  });
  const entry = await withTx(
    ctx.db,
    async (tx) =>
      (await findPoolEntry(tx, created.id)) ??
      ensurePoolTable(tx, (await getPoolResource(tx, created.id))!),
  );
  if (opts.rows?.length) await insertRows(ctx, created.id, opts.rows);
  return { id: created.id as string, entry };
}

/**
 * Puts rows straight into a pool table with their change records (test data, not the ingestion
 * path).
 */
export async function insertRows(
  ctx: TestContext,
  resourceId: string,
  rows: Record<string, unknown>[],
) {
  await withTx(ctx.db, async (tx) => {
    const entry = (await findPoolEntry(tx, resourceId))!;
    const batch = crypto.randomUUID();
    for (const row of rows) {
      const fields = entry.fields.filter((f) => f.name in row);
      const { rows: ins } = await tx.query(
        `INSERT INTO ${poolTable(entry)} (${fields.map(col).join(', ')}, _batch_id) VALUES (${fields.map((_, i) => `$${i + 1}`).join(', ')}, $${fields.length + 1}) RETURNING _row_id`,
        [...fields.map((f) => row[f.name]), batch],
      );
      await tx.query(
        `INSERT INTO ${changeTable(entry)} (op, row_id, batch_id) VALUES ('insert', $1, $2)`,
        [ins[0]._row_id, batch],
      );
    }
  });
}
