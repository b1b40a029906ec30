import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { cellText as text } from '../../lib/xlsx.js';
import type { Profile } from '../profiles/index.js';
import type {
  FIELD_TYPES,
  IDENTIFIER_KINDS,
  MASKINGS,
  OPEN_TYPES,
  PII_KINDS,
  SECURITY_LEVELS,
  SENSITIVITIES,
  UPDATE_FREQUENCIES,
  CatalogField,
  EntryContent,
} from './catalog.types.js';

/**
 * The spreadsheet layout departments fill in (信息资源目录表): one row per field (信息项), the
 * entry's own columns repeated on each of its rows (only the first row of an entry needs them).
 * Rows of one entry are consecutive and share 资源代码, or, for a new entry, 资源名称.
 * Enumerated columns take the Chinese words below (or the API codes) and carry drop-down lists.
 */
const SHEET = '资源目录';

const LABELS = {
  openType: { open: '无条件开放', conditional_open: '有条件开放', not_open: '不予开放' },
  securityLevel: { general: '一般', important: '重要', core: '核心' },
  updateFrequency: {
    realtime: '实时',
    daily: '每日',
    weekly: '每周',
    monthly: '每月',
    quarterly: '每季度',
    yearly: '每年',
    irregular: '不定期',
  },
  identifierKind: {
    id_card: '身份证号',
    uscc: '统一社会信用代码',
    coordinate: '坐标',
    unified_code: '统一编码',
    none: '无',
  },
  type: {
    string: '字符型',
    integer: '整数型',
    decimal: '小数型',
    date: '日期型',
    datetime: '日期时间型',
    boolean: '布尔型',
  },
  sensitivity: { public: '公开', internal: '内部', sensitive: '敏感', personal: '个人信息' },
  piiKind: {
    id_card: '身份证号',
    mobile: '手机号',
    name: '姓名',
    address: '地址',
    bank_card: '银行卡号',
    plate: '车牌号',
    uscc: '统一社会信用代码',
    email: '电子邮箱',
  },
  masking: {
    none: '不脱敏',
    partial: '部分遮盖',
    hash: '哈希',
    generalise: '泛化',
    truncate: '截断',
  },
} as const satisfies Record<string, Record<string, string>>;
type Vocabulary = keyof typeof LABELS;
// Keep the vocabularies in step with the types: a compile error here means a label is missing.
const _check: [
  typeof OPEN_TYPES,
  typeof SECURITY_LEVELS,
  typeof UPDATE_FREQUENCIES,
  typeof IDENTIFIER_KINDS,
  typeof FIELD_TYPES,
  typeof SENSITIVITIES,
  typeof PII_KINDS,
  typeof MASKINGS,
] = [
  Object.keys(LABELS.openType) as never,
  Object.keys(LABELS.securityLevel) as never,
  Object.keys(LABELS.updateFrequency) as never,
  Object.keys(LABELS.identifierKind) as never,
  Object.keys(LABELS.type) as never,
  Object.keys(LABELS.sensitivity) as never,
  Object.keys(LABELS.piiKind) as never,
  Object.keys(LABELS.masking) as never,
];
void _check;

/**
 * Columns in sheet order: header, the key used in parsing, and the vocabulary of an enumerated
 * column.
 */
const COLUMNS: {
  header: string;
  key: string;
  width: number;
  vocab?: Vocabulary | 'shareType' | 'category' | 'yesNo';
  required?: boolean;
}[] = [
  { header: '资源代码', key: 'code', width: 22 },
  { header: '资源名称', key: 'name', width: 24, required: true },
  { header: '资源摘要', key: 'summary', width: 40, required: true },
  { header: '提供单位', key: 'provider', width: 22 },
  { header: '资源分类', key: 'category', width: 18, vocab: 'category', required: true },
  { header: '共享类型', key: 'shareType', width: 14, vocab: 'shareType', required: true },
  { header: '共享条件', key: 'shareConditions', width: 24 },
  { header: '共享依据', key: 'legalBasis', width: 24 },
  { header: '开放类型', key: 'openType', width: 12, vocab: 'openType', required: true },
  { header: '安全级别', key: 'securityLevel', width: 10, vocab: 'securityLevel', required: true },
  {
    header: '更新周期',
    key: 'updateFrequency',
    width: 10,
    vocab: 'updateFrequency',
    required: true,
  },
  { header: '标识类型', key: 'identifierKind', width: 16, vocab: 'identifierKind', required: true },
  { header: '标识字段', key: 'identifierField', width: 14 },
  { header: '关键词', key: 'keywords', width: 18 },
  { header: '信息项名称', key: 'fieldName', width: 16, required: true },
  { header: '信息项中文名', key: 'fieldLabel', width: 16, required: true },
  { header: '数据类型', key: 'fieldType', width: 12, vocab: 'type', required: true },
  { header: '长度', key: 'fieldLength', width: 8 },
  { header: '是否必填', key: 'fieldRequired', width: 10, vocab: 'yesNo' },
  { header: '信息项说明', key: 'fieldDescription', width: 24 },
  { header: '敏感级别', key: 'fieldSensitivity', width: 10, vocab: 'sensitivity', required: true },
  { header: '个人信息类型', key: 'fieldPii', width: 16, vocab: 'piiKind' },
  { header: '默认脱敏', key: 'fieldMasking', width: 10, vocab: 'masking' },
  { header: '状态', key: 'status', width: 10 },
];
const STATUS_LABELS: Record<string, string> = {
  draft: '草稿',
  submitted: '待审核',
  approved: '已审核',
  published: '已发布',
  retired: '已下线',
};
const col = (key: string) => COLUMNS.findIndex((c) => c.key === key);
const letter = (i: number) => String.fromCharCode(65 + i);

export interface ExportEntry {
  code: string;
  providerName: string;
  categoryCode: string;
  categoryName: string;
  status: string;
  content: EntryContent;
}

/**
 * Streams the workbook: entries as rows, drop-down lists on enumerated columns, and a sheet of
 * instructions.
 */
export function writeWorkbook(
  entries: AsyncIterable<ExportEntry>,
  profile: Profile,
  categories: { code: string; name: string }[],
): Readable {
  const out = new PassThrough();
  void (async () => {
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: true,
    });
    const ws = wb.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
    ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
    ws.getRow(1).font = { bold: true };
    const lists: Record<string, string[]> = {
      ...Object.fromEntries(Object.entries(LABELS).map(([k, v]) => [k, Object.values(v)])),
      shareType: profile.shareTypes.map((t) => t.zh),
      yesNo: ['是', '否'],
    };
    COLUMNS.forEach((c, i) => {
      if (!c.vocab || c.vocab === 'category') return;
      (
        ws as unknown as {
          dataValidations: { add(range: string, v: ExcelJS.DataValidation): void };
        }
      ).dataValidations.add(`${letter(i)}2:${letter(i)}5000`, {
        type: 'list',
        allowBlank: !c.required,
        formulae: [`"${lists[c.vocab].join(',')}"`],
        showErrorMessage: true,
      });
    });
    for await (const e of entries) {
      const c = e.content;
      for (const f of c.fields) {
        ws.addRow({
          code: e.code,
          name: c.name,
          summary: c.summary,
          provider: e.providerName,
          category: `${e.categoryCode} ${e.categoryName}`,
          shareType: profile.shareTypes.find((t) => t.code === c.shareType)?.zh ?? c.shareType,
          shareConditions: c.shareConditions ?? '',
          legalBasis: c.legalBasis ?? '',
          openType: LABELS.openType[c.openType],
          securityLevel: LABELS.securityLevel[c.securityLevel],
          updateFrequency: LABELS.updateFrequency[c.updateFrequency],
          identifierKind: LABELS.identifierKind[c.identifierKind],
          identifierField: c.identifierField ?? '',
          keywords: c.keywords.join('、'),
          fieldName: f.name,
          fieldLabel: f.label,
          fieldType: LABELS.type[f.type],
          fieldLength: f.length ?? '',
          fieldRequired: f.required ? '是' : '否',
          fieldDescription: f.description ?? '',
          fieldSensitivity: LABELS.sensitivity[f.sensitivity],
          fieldPii: f.piiKind ? LABELS.piiKind[f.piiKind] : '',
          fieldMasking: f.masking ? LABELS.masking[f.masking] : '',
          status: STATUS_LABELS[e.status] ?? e.status,
        }).commit();
      }
    }
    ws.commit();
    const help = wb.addWorksheet('填写说明');
    help.columns = [
      { header: '列', key: 'a', width: 16 },
      { header: '说明', key: 'b', width: 100 },
    ];
    const notes: [string, string][] = [
      [
        '总体',
        '每行一个信息项（字段）；同一资源的各行连续排列，资源代码相同（新资源资源代码留空、资源名称相同）；资源级各列只需填在该资源的第一行。',
      ],
      [
        '资源代码',
        '留空表示新增，系统按“分类代码-提供单位组织机构代码-顺序号”生成；填写已有代码表示修改该资源（形成新版本）。',
      ],
      [
        '资源分类',
        '填写分类代码，可带名称，如“0101 人口”。可选：' +
          categories.map((x) => `${x.code} ${x.name}`).join('；'),
      ],
      [
        '共享类型',
        `可选：${profile.shareTypes.map((t) => t.zh).join('、')}。非无条件共享须填写共享依据；有条件共享须填写共享条件。`,
      ],
      ['信息项名称', '英文小写字母开头，仅含小写字母、数字和下划线，同一资源内不重复。'],
      ['状态', '导出时显示，导入时忽略。'],
    ];
    for (const [a, b] of notes) help.addRow({ a, b }).commit();
    help.commit();
    await wb.commit();
  })().catch((err) => out.destroy(err));
  return out;
}

/** One problem with a row: the column (header) it is in, the rule, and words for people. */
export interface RowProblem {
  row: number;
  field: string;
  rule: string;
  message: string;
}
/** One entry read from consecutive rows. */
export interface SheetEntry {
  rows: number[];
  code: string | null;
  provider: string | null;
  content: Omit<EntryContent, 'sourceSystemId' | 'sourceTableIds'>;
  problems: RowProblem[];
}

/**
 * Reads the sheet into entries; values it cannot understand become problems of their row, never
 * guesses.
 */
export async function readWorkbook(buffer: Buffer, profile: Profile): Promise<SheetEntry[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  const ws = wb.getWorksheet(SHEET) ?? wb.worksheets[0];
  if (!ws) return [];
  const header = (ws.getRow(1).values as ExcelJS.CellValue[]).map(text);
  const at = new Map(COLUMNS.map((c) => [c.key, header.indexOf(c.header)]));
  const missing = COLUMNS.filter((c) => c.required && (at.get(c.key) ?? -1) < 1);
  if (missing.length)
    throw Object.assign(new Error('missing columns'), { columns: missing.map((c) => c.header) });

  const entries: SheetEntry[] = [];
  let current: SheetEntry | null = null;
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const cell = (key: string) => text(row.getCell(at.get(key)!).value ?? null);
    const get = (key: string) => ((at.get(key) ?? -1) > 0 ? cell(key) : '');
    if (COLUMNS.every((c) => !get(c.key))) return;
    const problems: RowProblem[] = [];
    const problem = (key: string, rule: string, message: string) =>
      problems.push({ row: n, field: COLUMNS[col(key)].header, rule, message });
    const code = get('code') || null;
    const name = get('name');
    const continues =
      current &&
      ((code && current.code === code) ||
        (!code && !current.code && (!name || name === current.content.name)));
    if (!continues) {
      const vocab = <K extends Vocabulary>(key: string, v: K): keyof (typeof LABELS)[K] => {
        const raw = get(key);
        const found = Object.entries(LABELS[v]).find(([k, label]) => raw === label || raw === k);
        if (!found)
          problem(
            key,
            raw ? 'enum' : 'required',
            raw ? `“${raw}”不是可选值：${Object.values(LABELS[v]).join('、')}` : '必填',
          );
        return (found?.[0] ?? Object.keys(LABELS[v])[0]) as keyof (typeof LABELS)[K];
      };
      const share = get('shareType');
      const shareType = profile.shareTypes.find((t) => t.zh === share || t.code === share);
      if (!shareType)
        problem(
          'shareType',
          share ? 'enum' : 'required',
          share
            ? `“${share}”不是本平台的共享类型：${profile.shareTypes.map((t) => t.zh).join('、')}`
            : '必填',
        );
      for (const key of ['name', 'summary'] as const)
        if (!get(key)) problem(key, 'required', '必填');
      const category = /^(\d{2,})/.exec(get('category'))?.[1];
      if (!category) problem('category', 'required', '请填写分类代码，如 0101');
      current = {
        rows: [],
        code,
        provider: get('provider') || null,
        problems: [],
        content: {
          name,
          summary: get('summary'),
          categoryCode: category ?? '',
          identifierKind: vocab(
            'identifierKind',
            'identifierKind',
          ) as EntryContent['identifierKind'],
          identifierField: get('identifierField') || null,
          shareType: shareType?.code ?? share,
          shareConditions: get('shareConditions') || null,
          legalBasis: get('legalBasis') || null,
          openType: vocab('openType', 'openType') as EntryContent['openType'],
          securityLevel: vocab('securityLevel', 'securityLevel') as EntryContent['securityLevel'],
          updateFrequency: vocab(
            'updateFrequency',
            'updateFrequency',
          ) as EntryContent['updateFrequency'],
          keywords: get('keywords')
            .split(/[、,，;；\s]+/)
            .filter(Boolean),
          fields: [],
        },
      };
      entries.push(current);
    }
    const entry = current!;
    entry.rows.push(n);
    const fieldVocab = <K extends Vocabulary>(
      key: string,
      v: K,
      optional = false,
    ): string | null => {
      const raw = get(key);
      if (!raw && optional) return null;
      const found = Object.entries(LABELS[v]).find(([k, label]) => raw === label || raw === k);
      if (!found)
        problem(
          key,
          raw ? 'enum' : 'required',
          raw ? `“${raw}”不是可选值：${Object.values(LABELS[v]).join('、')}` : '必填',
        );
      return found?.[0] ?? null;
    };
    const fieldName = get('fieldName');
    if (!/^[a-z][a-z0-9_]{0,62}$/.test(fieldName))
      problem(
        'fieldName',
        fieldName ? 'pattern' : 'required',
        '须以小写字母开头，仅含小写字母、数字、下划线',
      );
    if (!get('fieldLabel')) problem('fieldLabel', 'required', '必填');
    const lengthText = get('fieldLength');
    const length = lengthText ? Number(lengthText) : null;
    if (lengthText && (!Number.isInteger(length) || length! < 1))
      problem('fieldLength', 'integer', '长度须为正整数');
    const field: CatalogField = {
      name: fieldName,
      label: get('fieldLabel'),
      type: (fieldVocab('fieldType', 'type') ?? 'string') as CatalogField['type'],
      length,
      required: ['是', 'Y', 'y', 'true', '1'].includes(get('fieldRequired')),
      description: get('fieldDescription') || null,
      sensitivity: (fieldVocab('fieldSensitivity', 'sensitivity') ??
        'internal') as CatalogField['sensitivity'],
      piiKind: fieldVocab('fieldPii', 'piiKind', true) as CatalogField['piiKind'],
      masking: fieldVocab('fieldMasking', 'masking', true) as CatalogField['masking'],
    };
    entry.content.fields.push(field);
    entry.problems.push(...problems);
  });
  return entries;
}

/**
 * Turns an API field path of a service error (`fields.2.name`, `legalBasis`) into the sheet row and
 * column header it came from.
 */
export function locate(entry: SheetEntry, path: string): { row: number; field: string } {
  const m = /^fields\.(\d+)\.?(\w*)/.exec(path);
  const FIELD_KEYS: Record<string, string> = {
    name: 'fieldName',
    label: 'fieldLabel',
    type: 'fieldType',
    length: 'fieldLength',
    sensitivity: 'fieldSensitivity',
    piiKind: 'fieldPii',
    masking: 'fieldMasking',
    enumValues: 'fieldType',
    min: 'fieldType',
    pattern: 'fieldType',
    validator: 'fieldType',
  };
  if (m)
    return {
      row: entry.rows[Number(m[1])] ?? entry.rows[0],
      field: COLUMNS[col(FIELD_KEYS[m[2]] ?? 'fieldName')].header,
    };
  const c = COLUMNS.find(
    (x) =>
      x.key === path ||
      (path === 'categoryCode' && x.key === 'category') ||
      (path === 'providerOrgId' && x.key === 'provider'),
  );
  return { row: entry.rows[0], field: c?.header ?? path };
}
