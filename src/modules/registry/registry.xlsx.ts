import ExcelJS from 'exceljs';
import { AppError } from '../../lib/errors.js';
import { cellText as text } from '../../lib/xlsx.js';
import type { TableCreate } from './registry.schemas.js';

/** The columns of the table-structure sheet (表结构), one row per column of a registered table. */
const HEADERS = [
  '数据库名',
  '表名',
  '表说明',
  '字段名',
  '字段类型',
  '长度',
  '可为空',
  '主键',
  '字段说明',
] as const;
const YES = new Set(['是', 'Y', 'YES', 'TRUE', '1']);
const NO = new Set(['否', 'N', 'NO', 'FALSE', '0']);

export interface SheetProblem {
  row: number;
  column: string;
  rule: string;
  value?: string;
}

/**
 * Reads table structures from the sheet departments fill in: rows with the same database and
 * table name, in a run, make one table. Every problem is reported with its row and column; the
 * caller registers nothing unless there are none.
 */
export async function readTableWorkbook(
  buffer: Buffer,
): Promise<{ tables: TableCreate[]; problems: SheetProblem[] }> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch {
    throw new AppError('VALIDATION_FAILED', { field: 'body', rule: 'xlsx' });
  }
  const sheet = book.getWorksheet('表结构') ?? book.worksheets[0];
  if (!sheet) throw new AppError('VALIDATION_FAILED', { field: 'body', rule: 'sheet_missing' });
  const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map(text);
  const at = Object.fromEntries(HEADERS.map((h) => [h, header.indexOf(h) + 1]));
  const missing = (['表名', '字段名', '字段类型'] as const).filter((h) => at[h] === 0);
  if (missing.length)
    throw new AppError('VALIDATION_FAILED', {
      field: 'header',
      rule: 'columns_missing',
      columns: missing,
    });

  const tables: TableCreate[] = [];
  const problems: SheetProblem[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const cell = (h: (typeof HEADERS)[number]) => (at[h] ? text(row.getCell(at[h]).value) : '');
    if (HEADERS.every((h) => cell(h) === '')) return;
    const flag = (h: '可为空' | '主键', fallback: boolean) => {
      const v = cell(h).toUpperCase();
      if (YES.has(v)) return true;
      if (v === '') return fallback;
      if (NO.has(v)) return false;
      problems.push({ row: n, column: h, rule: 'yes_no', value: cell(h) });
      return fallback;
    };
    const [databaseName, name, column, type] = [
      cell('数据库名'),
      cell('表名'),
      cell('字段名'),
      cell('字段类型'),
    ];
    if (!name) problems.push({ row: n, column: '表名', rule: 'required' });
    if (!column) problems.push({ row: n, column: '字段名', rule: 'required' });
    if (!type) problems.push({ row: n, column: '字段类型', rule: 'required' });
    if (name.length > 128 || column.length > 128)
      problems.push({ row: n, column: name.length > 128 ? '表名' : '字段名', rule: 'maxLength' });
    const lengthText = cell('长度');
    const length = lengthText === '' ? null : Number(lengthText);
    if (length !== null && !(Number.isInteger(length) && length > 0))
      problems.push({ row: n, column: '长度', rule: 'positive_integer', value: lengthText });
    const def = {
      name: column,
      type,
      length: length && length > 0 ? length : null,
      nullable: flag('可为空', true),
      primaryKey: flag('主键', false),
      comment: cell('字段说明') || null,
    };
    const last = tables[tables.length - 1];
    if (last && last.name === name && (last.databaseName ?? '') === databaseName) {
      last.columns.push(def);
      if (cell('表说明') && !last.comment) last.comment = cell('表说明');
    } else {
      tables.push({ databaseName, name, comment: cell('表说明') || null, columns: [def] });
    }
  });
  if (tables.length === 0 && problems.length === 0)
    problems.push({ row: 2, column: '表名', rule: 'no_rows' });
  return { tables, problems };
}

/** An empty sheet in that layout, with two example rows and how to fill it in. */
export async function tableTemplate(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('表结构');
  sheet.addRow([...HEADERS]).font = { bold: true };
  sheet.addRow([
    'rkk',
    'person_base',
    '人口基础信息表',
    'id_number',
    'varchar',
    18,
    '否',
    '是',
    '公民身份号码',
  ]);
  sheet.addRow(['rkk', 'person_base', '', 'name', 'varchar', 50, '否', '否', '姓名']);
  sheet.columns.forEach((c) => {
    c.width = 18;
  });
  const help = book.addWorksheet('填写说明');
  for (const r of [
    ['每行填写一个字段；同一数据库、同一表名的连续行构成一张表。'],
    [
      '必填：表名、字段名、字段类型。长度填正整数；可为空、主键填“是”或“否”（留空：可为空=是，主键=否）。',
    ],
    ['同名表再次导入时以新结构替换旧结构。整张表格有任何一行不合格则全部不导入，并逐行说明原因。'],
  ])
    help.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}
