import crypto from 'node:crypto';
import { withTx, type Db } from '../../src/db/pool.js';
import { ensurePoolTable, type PoolResource } from '../../src/modules/pool/index.js';
import { makeIdCard, makeUscc, orgCodeCheckChar } from '../../src/lib/check-digits.js';

/** An enterprise-registry resource as the catalog would hand it to the pool; override anything. */
export function enterpriseResource(
  providerOrgId: string,
  overrides: Partial<PoolResource> = {},
): PoolResource {
  return {
    id: crypto.randomUUID(),
    code: `R${crypto.randomInt(1e9)}`,
    name: '市场主体登记信息',
    providerOrgId,
    version: 1,
    identifierField: 'uscc',
    updateFrequency: 'daily',
    shareType: 'unconditional',
    openType: 'not_open',
    status: 'published',
    fields: [
      {
        name: 'uscc',
        label: '统一社会信用代码',
        type: 'string',
        length: 18,
        required: true,
        sensitivity: 'public',
        validator: 'uscc',
      },
      {
        name: 'name',
        label: '企业名称',
        type: 'string',
        length: 100,
        required: true,
        sensitivity: 'public',
      },
      {
        name: 'legal_rep',
        label: '法定代表人',
        type: 'string',
        required: false,
        sensitivity: 'personal',
      },
      {
        name: 'capital',
        label: '注册资本',
        type: 'decimal',
        required: false,
        sensitivity: 'public',
        min: 0,
      },
      { name: 'founded', label: '成立日期', type: 'date', required: false, sensitivity: 'public' },
      {
        name: 'status',
        label: '登记状态',
        type: 'string',
        required: true,
        sensitivity: 'public',
        enumValues: ['存续', '注销', '吊销'],
      },
      {
        name: 'phone',
        label: '联系电话',
        type: 'string',
        required: false,
        sensitivity: 'personal',
        validator: 'mobile',
      },
      {
        name: 'employees',
        label: '从业人数',
        type: 'integer',
        required: false,
        sensitivity: 'public',
        min: 0,
        max: 1_000_000,
      },
      {
        name: 'listed',
        label: '是否上市',
        type: 'boolean',
        required: false,
        sensitivity: 'public',
      },
      {
        name: 'checked_at',
        label: '核查时间',
        type: 'datetime',
        required: false,
        sensitivity: 'internal',
      },
    ],
    ...overrides,
  };
}

export async function poolResource(db: Db, resource: PoolResource) {
  return withTx(db, (tx) => ensurePoolTable(tx, resource));
}

let n = 0;
/** A valid 统一社会信用代码 of an enterprise (91, Hangzhou). */
function enterpriseUscc(i = ++n + crypto.randomInt(1e6)): string {
  const body = String(10_000_000 + (i % 89_999_999)).padStart(8, '0');
  return makeUscc(`91330100${body}${orgCodeCheckChar(body)}`);
}

export function personIdCard(i: number): string {
  const day = String(1 + (i % 28)).padStart(2, '0');
  return makeIdCard(`330102198${i % 10}07${day}${String(i % 1000).padStart(3, '0')}`);
}

export interface Enterprise {
  uscc: string;
  name: string;
  legal_rep?: string;
  capital?: string;
  founded?: string;
  status: string;
  phone?: string;
  employees?: string;
  listed?: string;
  checked_at?: string;
}

export function enterprise(i: number, overrides: Partial<Enterprise> = {}): Enterprise {
  return {
    uscc: enterpriseUscc(i),
    name: `示范企业${i}有限公司`,
    legal_rep: ['张伟', '王芳', '李娜', '刘洋'][i % 4],
    capital: `${100 + i}.50`,
    founded: '2015-06-01',
    status: '存续',
    phone: `138${String(10_000_000 + i).slice(-8)}`,
    employees: String(10 + i),
    listed: i % 2 ? 'true' : 'false',
    checked_at: '2026-01-05T09:30:00+08:00',
    ...overrides,
  };
}

const FIELDS: (keyof Enterprise)[] = [
  'uscc',
  'name',
  'legal_rep',
  'capital',
  'founded',
  'status',
  'phone',
  'employees',
  'listed',
  'checked_at',
];
const cell = (v: string | undefined) =>
  v === undefined ? '' : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;

/** A CSV with the Chinese labels as the header, as departments export it. */
export function enterpriseCsv(rows: Enterprise[], labels = true): string {
  const head = labels
    ? '统一社会信用代码,企业名称,法定代表人,注册资本,成立日期,登记状态,联系电话,从业人数,是否上市,核查时间'
    : FIELDS.join(',');
  return `${[head, ...rows.map((r) => FIELDS.map((f) => cell(r[f])).join(','))].join('\n')}\n`;
}
