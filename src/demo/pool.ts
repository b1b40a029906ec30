/**
 * Pooled data in the demo deployment, loaded through the pool's own batch service as a body's
 * front-end processor would: 市场主体登记信息 (12,000 enterprises with valid 统一社会信用代码),
 * 人口基础信息 (5,000 people with valid 身份证 numbers) and a few hundred rows in every other
 * published entry; then a second batch per resource with some rows that break rules, and one
 * strict-mode batch the rules refuse, so batch lists, rejected rows and quality charts have
 * something to show. Runs after the catalog demo, which publishes the entries loaded here.
 */
import type { Db } from '../db/pool.js';
import { withTx } from '../db/pool.js';
import {
  luhnCheckDigit,
  makeIdCard,
  makeUscc,
  orgCodeCheckChar,
  USCC_ALPHABET,
} from '../lib/check-digits.js';
import { getPoolResource, type CatalogField, type PoolResource } from '../modules/catalog/index.js';
import type { Actor } from '../modules/identity/index.js';
import { ensurePoolTable, loadBatch } from '../modules/pool/index.js';
import { findDemoActor } from './actor.js';

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚华建国志文红梅海燕玉晨阳思远子涵浩宇欣怡';
const STREETS = [
  '文三路',
  '教工路',
  '天目山路',
  '延安路',
  '解放路',
  '凤起路',
  '莫干山路',
  '学院路',
  '古墩路',
  '江南大道',
];
const DISTRICTS = ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区', '临平区', '钱塘区'];
const TRADES = [
  '科技',
  '贸易',
  '物流',
  '咨询',
  '建设',
  '医药',
  '食品',
  '电子',
  '信息技术',
  '文化传媒',
];
const WORDS = [
  '华信',
  '鼎盛',
  '科创',
  '恒通',
  '瑞丰',
  '新材',
  '智联',
  '远航',
  '金桥',
  '宏图',
  '启明',
  '数联',
];
const at = <T>(list: readonly T[] | string, n: number) => list[n % list.length] as T;

function uscc(i: number): string {
  let n = i + 31 ** 5;
  let body = '';
  for (let k = 0; k < 8; k++, n = Math.floor(n / 31)) body = USCC_ALPHABET[n % 31] + body;
  return makeUscc(`91330100${body}${orgCodeCheckChar(body)}`);
}
const idCard = (i: number) =>
  makeIdCard(
    `3301${String(2 + (i % 8)).padStart(2, '0')}${1950 + (i % 55)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${String(i % 1000).padStart(3, '0')}`,
  );
const personName = (i: number) =>
  `${at(SURNAMES, i)}${at(GIVEN, i >> 2)}${i % 3 ? at(GIVEN, i >> 5) : ''}`;
const address = (i: number) =>
  `浙江省杭州市${at(DISTRICTS, i)}${at(STREETS, i >> 3)}${1 + (i % 300)}号`;
const day = (i: number, from = 1990, span = 35) =>
  `${from + (i % span)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + ((i >> 2) % 28)).padStart(2, '0')}`;

/** A realistic value for field `f` of row `i`, chosen by what the field is. */
function value(f: CatalogField, i: number, identifier: boolean): string {
  const n = f.name;
  if (f.enumValues?.length) return at(f.enumValues, i >> 1);
  if (f.validator === 'uscc' || f.piiKind === 'uscc' || /uscc|credit_code/.test(n)) return uscc(i);
  if (f.validator === 'id_card' || f.piiKind === 'id_card' || /id_card|id_no/.test(n))
    return idCard(i);
  if (f.validator === 'mobile' || f.piiKind === 'mobile' || /phone|mobile/.test(n))
    return `13${String(500000000 + ((i * 104729) % 499999999)).padStart(9, '0')}`;
  if (f.validator === 'bank_card' || f.piiKind === 'bank_card') {
    const p = `622202${String(1e9 + i).slice(-10)}`;
    return p + luhnCheckDigit(p);
  }
  if (f.piiKind === 'plate') return `浙A${String(10000 + (i % 89999))}`;
  if (f.piiKind === 'email' || /email/.test(n)) return `user${i}@example.cn`;
  if (f.piiKind === 'address' || /address|addr/.test(n)) return address(i);
  if (f.piiKind === 'name' || /legal_rep|full_name|person/.test(n)) return personName(i);
  switch (f.type) {
    case 'date':
      return day(i);
    case 'datetime':
      return `2026-01-${String(1 + (i % 28)).padStart(2, '0')}T0${i % 10}:30:00+08:00`;
    case 'integer':
      return String(Math.max(f.min ?? 0, Math.min(f.max ?? 1e6, (i * 37) % 1000)));
    case 'decimal':
      return String(Math.max(f.min ?? 0, ((i * 7919) % 100000) / 100));
    case 'boolean':
      return i % 2 ? 'true' : 'false';
  }
  if (identifier) return `${n.toUpperCase()}${String(i).padStart(8, '0')}`;
  if (n === 'name' || /企业名称|单位名称/.test(f.label))
    return `杭州${at(WORDS, i)}${at(WORDS, i >> 4)}${at(TRADES, i >> 2)}有限公司${i}`;
  const text = `${f.label}${i}`;
  return f.length ? text.slice(0, f.length) : text;
}

/** A value that breaks the field's rule, for the batches with rejected rows. */
function broken(f: CatalogField, v: string): string | null {
  if (f.validator || f.piiKind === 'id_card' || f.piiKind === 'uscc')
    return v.slice(0, -1) + (v.endsWith('1') ? '2' : '1');
  if (f.type === 'date') return '2025-02-30';
  if (f.type === 'integer' || f.type === 'decimal') return '约100';
  if (f.enumValues?.length) return '其他';
  if (f.required) return '';
  return null;
}

const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function* csv(
  r: PoolResource,
  from: number,
  count: number,
  badEvery = 0,
): AsyncGenerator<Buffer> {
  const breakable = r.fields.filter((f) => broken(f, 'x0') !== null);
  yield Buffer.from(`${r.fields.map((f) => f.name).join(',')}\n`);
  let chunk = '';
  for (let i = from; i < from + count; i++) {
    const row = r.fields.map((f) => value(f, i, f.name === r.identifierField));
    if (badEvery && breakable.length && i % badEvery === 0) {
      const f = breakable[(i / badEvery) % breakable.length];
      const k = r.fields.indexOf(f);
      row[k] = broken(f, row[k]) ?? row[k];
    }
    chunk += `${row.map(cell).join(',')}\n`;
    if (chunk.length > 65536) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  if (chunk) yield Buffer.from(chunk);
}

/** Loads the demo's pooled data; returns the number of rows accepted. */
export async function seedPoolDemo(db: Db): Promise<number> {
  const plan = await withTx(db, async (tx) => {
    const { rows } = await tx.query<{ id: string; name: string; short_code: string | null }>(
      `SELECT r.id, r.name, o.short_code FROM resources r JOIN organisations o ON o.id = r.provider_org_id
        WHERE r.status = 'published' ORDER BY r.created_at`,
    );
    const out: { resource: PoolResource; actor: Actor }[] = [];
    for (const r of rows) {
      const actor =
        (r.short_code && (await findDemoActor(tx, `${r.short_code}.officer`))) ||
        (await findDemoActor(tx, 'admin'));
      const resource = await getPoolResource(tx, r.id);
      if (!actor || !resource) continue;
      // published while seeding, before the server registered its publish hook
      await ensurePoolTable(tx, resource);
      out.push({ resource, actor });
    }
    return out;
  });
  let accepted = 0;
  for (const [n, { resource, actor }] of plan.entries()) {
    const size =
      resource.name === '市场主体登记信息'
        ? 12_000
        : resource.name === '人口基础信息'
          ? 5_000
          : 400;
    const mode = resource.identifierField ? 'upsert' : 'append';
    const load = (key: string, from: number, count: number, badEvery: number, strict = false) =>
      loadBatch(
        db,
        actor,
        {
          resourceId: resource.id,
          mode,
          strict,
          idempotencyKey: `demo-${key}`,
          format: 'csv',
          fileName: `${resource.name}-${key}.csv`,
          body: csv(resource, from, count, badEvery),
        },
        { crypto: 'standard' },
      ).then(
        (r) => {
          accepted += r.batch.accepted;
        },
        () => undefined,
      );
    await load('initial', 0, size, 0);
    await load('update', size - Math.floor(size / 10), Math.floor(size / 5), 37);
    if (n === 0) await load('strict', size * 2, 50, 10, true);
  }
  // the first loads happened "yesterday" and before, so the quality charts have a history
  await db.query(
    `UPDATE quality_runs q SET at = q.at - interval '1 day' * (SELECT count(*) FROM quality_runs q2 WHERE q2.resource_id = q.resource_id AND q2.at > q.at)`,
  );
  // three bodies have let their data go stale, so the overdue list and home-page notices show them
  await db.query(`UPDATE pool_tables SET last_loaded_at = now() - interval '40 days'
    WHERE resource_id IN (SELECT resource_id FROM pool_tables WHERE update_frequency IN ('daily', 'weekly', 'monthly') AND name NOT IN ('市场主体登记信息', '人口基础信息') ORDER BY name LIMIT 3)`);
  return accepted;
}
