import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/**
 * Chinese word search without server extensions: text is segmented by jieba in Node, both when
 * indexing and when querying, and the words go to PostgreSQL as a `tsvector` / `tsquery`
 * literal (built here, so PostgreSQL's own parser and locale never split Chinese text).
 * "企业 登记" then matches the words 企业 and 登记, never every text containing 企.
 */

let jieba: Jieba | undefined;
const segmenter = (): Jieba => (jieba ??= Jieba.withDict(dict));

/** Keeps letters and digits of any script; drops spaces and punctuation tokens. */
const WORD = /[\p{L}\p{N}]/u;
const clean = (words: string[]): string[] =>
  words.map((w) => w.trim().toLowerCase()).filter((w) => w && WORD.test(w));

/**
 * Every word a text can be found by: jieba's search mode also yields the parts of long words (市场主体
 * → 市场, 主体).
 */
function indexWords(text: string): string[] {
  return clean(segmenter().cutForSearch(text, true));
}

/** The words of a query, in precise mode. */
export function queryWords(text: string): string[] {
  return [...new Set(clean(segmenter().cut(text, false)))];
}

/** Words people use for the same thing; a query word also finds its synonyms. */
const SYNONYM_GROUPS: string[][] = [
  ['企业', '市场主体', '法人', '公司', '商事主体'],
  ['身份证', '身份证号', '公民身份号码', '身份证件'],
  ['户籍', '户口', '人口'],
  ['社保', '社会保险', '参保'],
  ['车辆', '机动车'],
  ['房产', '不动产', '房屋'],
  ['学生', '学籍'],
  ['纳税', '税务', '税收'],
  ['医院', '医疗机构'],
];
const SYNONYMS = new Map<string, string[]>();
for (const group of SYNONYM_GROUPS) for (const w of group) SYNONYMS.set(w, group);

const lexeme = (w: string) => `'${w.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

/** Weighted sections of an entry: A name, B keywords, C summary, D field labels and names. */
export interface SearchSections {
  name: string;
  keywords: string[];
  summary: string;
  fields: string[];
}

/** A `tsvector` literal of the entry's words with positions and weights. */
export function toTsvector(s: SearchSections): string {
  const positions = new Map<string, string[]>();
  let pos = 0;
  const add = (text: string, weight: 'A' | 'B' | 'C' | 'D') => {
    for (const w of indexWords(text)) {
      pos = Math.min(pos + 1, 16383);
      const list = positions.get(w) ?? [];
      if (list.length < 256) list.push(`${pos}${weight}`);
      positions.set(w, list);
    }
  };
  add(s.name, 'A');
  add(s.keywords.join(' '), 'B');
  add(s.summary, 'C');
  add(s.fields.join(' '), 'D');
  return [...positions].map(([w, p]) => `${lexeme(w)}:${p.join(',')}`).join(' ');
}

/**
 * A `tsquery` literal: every query word must match (itself or a synonym); null for an empty query.
 */
export function toTsquery(text: string, mode: 'all' | 'any' = 'all'): string | null {
  const words = queryWords(text);
  if (!words.length) return null;
  const terms = words.map((w) => {
    const alts = SYNONYMS.get(w) ?? [w];
    return alts.length > 1 ? `(${alts.map(lexeme).join(' | ')})` : lexeme(w);
  });
  return terms.join(mode === 'all' ? ' & ' : ' | ');
}
