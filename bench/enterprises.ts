// A realistic enterprise registry (市场主体登记信息): 20 columns with valid 统一社会信用代码,
// generated deterministically so runs compare. Used by the ingest and share benchmarks.
import { Readable } from 'node:stream';
import { makeUscc, orgCodeCheckChar, USCC_ALPHABET } from '../src/lib/check-digits.js';

export const ENTERPRISE_COLUMNS = [
  'uscc',
  'name',
  'legal_rep',
  'reg_capital',
  'est_date',
  'address',
  'phone',
  'status',
  'industry',
  'reg_authority',
  'business_scope',
  'entity_type',
  'district',
  'employees',
  'email',
  'website',
  'tax_status',
  'credit_level',
  'updated_at',
  'postal_code',
] as const;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN =
  '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强文红梅海燕玉兰晨阳思远子涵浩宇欣怡';
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
  '创新',
  '启明',
  '数联',
  '云帆',
  '安泰',
  '博雅',
];
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
  '环保',
  '机械',
];
const DISTRICTS = [
  '南山区',
  '福田区',
  '罗湖区',
  '宝安区',
  '龙岗区',
  '龙华区',
  '坪山区',
  '光明区',
  '盐田区',
];
const INDUSTRIES = [
  '软件和信息技术服务业',
  '批发业',
  '零售业',
  '商务服务业',
  '研究和试验发展',
  '道路运输业',
  '建筑装饰业',
  '医药制造业',
];
const STATUSES = ['存续', '在业', '存续', '在业', '吊销', '注销', '迁出'];
const TYPES = ['有限责任公司', '股份有限公司', '个人独资企业', '合伙企业', '外商投资企业'];

/** Eight characters of the USCC alphabet, one distinct string per `i` (base 31). */
function orgBody(i: number): string {
  let n = i + 31 ** 6;
  let out = '';
  for (let k = 0; k < 8; k++, n = Math.floor(n / 31)) out = USCC_ALPHABET[n % 31] + out;
  return out;
}

function pick<T>(list: readonly T[], n: number): T {
  return list[n % list.length];
}

/** Row `i` of the registry, as strings in column order. */
export function enterprise(i: number): string[] {
  const uscc = makeUscc(`91440300${orgBody(i)}${orgCodeCheckChar(orgBody(i))}`);
  const district = pick(DISTRICTS, i);
  const name = `深圳市${pick(WORDS, i)}${pick(WORDS, i >> 4)}${pick(TRADES, i >> 2)}有限公司${i}`;
  const y = 1995 + (i % 30);
  const m = String(1 + (i % 12)).padStart(2, '0');
  const d = String(1 + (i % 28)).padStart(2, '0');
  return [
    uscc,
    name,
    `${pick([...SURNAMES], i)}${pick([...GIVEN], i >> 3)}${pick([...GIVEN], i >> 5)}`,
    String(10 + (i % 5000) * 10),
    `${y}-${m}-${d}`,
    `广东省深圳市${district}${pick(WORDS, i >> 1)}路${1 + (i % 300)}号`,
    `13${String(500000000 + ((i * 104729) % 499999999)).padStart(9, '0')}`,
    pick(STATUSES, i),
    pick(INDUSTRIES, i >> 1),
    `深圳市市场监督管理局${district.slice(0, 2)}监管局`,
    `${pick(TRADES, i)}产品的技术开发与销售`,
    pick(TYPES, i >> 2),
    district,
    String(i % 900),
    `contact${i}@example.cn`,
    `https://www.e${i}.example.cn`,
    pick(['正常', '非正常户'], i % 17 === 0 ? 1 : 0),
    pick(['A', 'B', 'M', 'C', 'D'], i),
    `2025-${m}-${d}T08:00:00+08:00`,
    `518${String(i % 1000).padStart(3, '0')}`,
  ];
}

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * The registry as a CSV stream, `rows` rows long, generated as it is read; `extra` is appended to
 * each row as a last cell.
 */
export function enterpriseCsv(rows: number, header = true, extra?: string): Readable {
  let i = 0;
  let sentHeader = !header;
  return new Readable({
    read() {
      let chunk = '';
      if (!sentHeader) {
        chunk += `${ENTERPRISE_COLUMNS.join(',')}\n`;
        sentHeader = true;
      }
      for (let n = 0; n < 2000 && i < rows; n++, i++)
        chunk += `${enterprise(i).map(csvCell).join(',')}${extra === undefined ? '' : `,${extra}`}\n`;
      this.push(chunk || null);
      if (i >= rows && chunk) this.push(null);
    },
  });
}

/** Catalog fields of the registry: identifier uscc, personal data on legal_rep, phone, address. */
export const ENTERPRISE_FIELDS = ENTERPRISE_COLUMNS.map((name) => ({
  name,
  label: (
    {
      uscc: '统一社会信用代码',
      name: '企业名称',
      legal_rep: '法定代表人',
      reg_capital: '注册资本（万元）',
      est_date: '成立日期',
      address: '住所',
      phone: '联系电话',
      status: '登记状态',
      industry: '行业',
      reg_authority: '登记机关',
      business_scope: '经营范围',
      entity_type: '企业类型',
      district: '所属区',
      employees: '从业人数',
      email: '电子邮箱',
      website: '网站',
      tax_status: '纳税状态',
      credit_level: '信用等级',
      updated_at: '更新时间',
      postal_code: '邮政编码',
    } as Record<string, string>
  )[name],
  type:
    name === 'reg_capital'
      ? 'decimal'
      : name === 'employees'
        ? 'integer'
        : name === 'est_date'
          ? 'date'
          : name === 'updated_at'
            ? 'datetime'
            : 'string',
  required: name === 'uscc' || name === 'name',
  sensitivity: ['legal_rep', 'phone', 'address'].includes(name) ? 'personal' : 'public',
  piiKind:
    ({ legal_rep: 'name', phone: 'mobile', address: 'address' } as Record<string, string>)[name] ??
    null,
  masking: ['legal_rep', 'phone', 'address'].includes(name) ? 'partial' : 'none',
  validator: name === 'uscc' ? 'uscc' : name === 'phone' ? 'mobile' : null,
}));
