/**
 * The per-value field rules of a batch, run in Node on each row as it streams to COPY (on the
 * second core, overlapping PostgreSQL's work). They mirror the SQL reference exactly
 * (`typeCheck` in pool.sql.ts, the `gongshu_valid_*` functions of 0021/0024, and the
 * check-digit validators of src/lib/check-digits.ts). pool.checks.test.ts holds fastUscc to
 * the check-digits reference; test/pool-validators.test.ts holds the SQL validators to that
 * reference (no test compares the other Node checks here with SQL directly).
 */
import {
  isLuhnValid,
  isValidIdCard,
  isValidMobile,
  USCC_ALPHABET,
} from '../../lib/check-digits.js';
import type { Cell } from './pool.sources.js';
import type { FieldType, PoolEntry, PoolField, Validator } from './pool.types.js';

/** Value of each code unit in the USCC alphabet (−1 outside it), and in GB 11714's 0-9A-Z. */
const USCC_VALUE = new Int8Array(128).fill(-1);
USCC_ALPHABET.split('').forEach((c, i) => {
  USCC_VALUE[c.charCodeAt(0)] = i;
});
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/**
 * isValidUscc without regular expressions or slices (it runs on every row of a batch): same
 * answers as the reference in src/lib/check-digits.ts, which stays the definition.
 */
export function fastUscc(v: string): boolean {
  if (v.length !== 18) return false;
  let sum = 0;
  let org = 0;
  for (let i = 0; i < 17; i++) {
    const c = v.charCodeAt(i);
    const x = c < 128 ? USCC_VALUE[c] : -1;
    if (x < 0 || (i >= 2 && i < 8 && x > 9)) return false;
    sum += x * USCC_WEIGHTS[i];
    // positions 9-16 of the code are the organisation code body: its value is the character's
    // place in 0-9A-Z (letters the USCC alphabet omits cannot occur here)
    if (i >= 8 && i < 16) org += (c <= 57 ? c - 48 : c - 55) * ORG_WEIGHTS[i - 8];
  }
  const check = 31 - (sum % 31);
  if (v[17] !== USCC_ALPHABET[check === 31 ? 0 : check]) return false;
  const oc = 11 - (org % 11);
  return v[16] === (oc === 10 ? 'X' : oc === 11 ? '0' : String(oc));
}

const VALIDATORS: Record<Validator, (v: string) => boolean> = {
  id_card: (v) => isValidIdCard(v),
  uscc: fastUscc,
  mobile: isValidMobile,
  bank_card: isLuhnValid,
};

const BOOLEAN_TRUE = new Set(['true', 't', '1', 'yes', 'y', '是']);
const BOOLEAN_ANY = new Set([...BOOLEAN_TRUE, 'false', 'f', '0', 'no', 'n', '否']);

const isDigit = (c: number) => c >= 48 && c <= 57;

/** `^[+-]?[0-9]{1,18}$` */
function isInteger(v: string): boolean {
  let i = v.charCodeAt(0) === 43 || v.charCodeAt(0) === 45 ? 1 : 0;
  const n = v.length - i;
  if (n < 1 || n > 18) return false;
  for (; i < v.length; i++) if (!isDigit(v.charCodeAt(i))) return false;
  return true;
}

/** `^[+-]?([0-9]{1,30}(\.[0-9]{0,20})?|\.[0-9]{1,20})$` */
function isDecimal(v: string): boolean {
  let i = v.charCodeAt(0) === 43 || v.charCodeAt(0) === 45 ? 1 : 0;
  let int = 0;
  while (i < v.length && isDigit(v.charCodeAt(i))) {
    i++;
    int++;
  }
  if (int > 30) return false;
  if (i === v.length) return int > 0;
  if (v.charCodeAt(i) !== 46) return false;
  i++;
  let frac = 0;
  while (i < v.length && isDigit(v.charCodeAt(i))) {
    i++;
    frac++;
  }
  if (i !== v.length || frac > 20) return false;
  return int > 0 || frac > 0;
}

const num = (v: string, at: number, len: number) => {
  let n = 0;
  for (let k = at; k < at + len; k++) n = n * 10 + v.charCodeAt(k) - 48;
  return n;
};

function dayFits(y: number, m: number, d: number): boolean {
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  const last =
    m === 2
      ? 28 + (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 1 : 0)
      : 30 + ((m + (m > 7 ? 1 : 0)) % 2);
  return d <= last;
}

const DATE = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
const DATETIME =
  /^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?$/;

/** gongshu_valid_date */
function isDate(v: string): boolean {
  return DATE.test(v) && dayFits(num(v, 0, 4), num(v, 5, 2), num(v, 8, 2));
}

/** gongshu_valid_datetime */
function isDatetime(v: string): boolean {
  if (!DATETIME.test(v) || !dayFits(num(v, 0, 4), num(v, 5, 2), num(v, 8, 2))) return false;
  if (num(v, 11, 2) >= 24 || num(v, 14, 2) >= 60) return false;
  return v.charCodeAt(16) !== 58 || num(v, 17, 2) < 60;
}

/** typeCheck: whether the non-empty text `v` is a value of `type`. */
function typeOk(type: FieldType, v: string): boolean {
  switch (type) {
    case 'string':
      return true;
    case 'integer':
      return isInteger(v);
    case 'decimal':
      return isDecimal(v);
    case 'date':
      return isDate(v);
    case 'datetime':
      return isDatetime(v);
    case 'boolean':
      return BOOLEAN_ANY.has(v.toLowerCase());
  }
}

/** A decimal string as (scaled BigInt, scale) for exact comparison. */
function exact(v: string): [bigint, number] {
  const s = v.trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(s);
  if (!m) return [0n, 0];
  const digits = `${m[2]}${m[3] ?? ''}` || '0';
  let scale = (m[3] ?? '').length - Number(m[4] ?? 0);
  let big = BigInt(digits);
  if (scale < 0) {
    big *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return [m[1] === '-' ? -big : big, scale];
}

/** Sign of a − b for decimal texts (value checked by isDecimal/isInteger; bound a JS number). */
function compareDecimal(a: string, b: number): number {
  const x = Number(a);
  if (x < b) return -1;
  if (x > b) return 1;
  const [p, ps] = exact(a);
  const [q, qs] = exact(String(b));
  const scale = Math.max(ps, qs);
  const l = p * 10n ** BigInt(scale - ps);
  const r = q * 10n ** BigInt(scale - qs);
  return l < r ? -1 : l > r ? 1 : 0;
}

/** char_length: code points, not UTF-16 units. */
function charLength(v: string): number {
  let n = v.length;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < v.length) {
      const d = v.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** left(v, 1000) */
export function left1000(v: string | null): string | null {
  if (v === null || v.length <= 1000) return v;
  return Array.from(v).slice(0, 1000).join('');
}

/**
 * Constructs whose meaning differs between PostgreSQL's regular expressions (ARE) and
 * JavaScript's: POSIX classes and collating elements, word boundaries and classes (locale
 * letters in PostgreSQL, ASCII in JavaScript), \A \Z, embedded options and directors.
 */
const ARE_ONLY = /\[[:=.]|\\[mMyYAZwW<>]|\(\?(?!:)|\*\*\*/;

/**
 * The pattern as a JavaScript RegExp with PostgreSQL's meaning, or null when only PostgreSQL can be
 * trusted with it.
 */
function jsPattern(pattern: string): RegExp | null {
  if (ARE_ONLY.test(pattern)) return null;
  try {
    return new RegExp(`^(?:${pattern})$`, 'us');
  } catch {
    return null;
  }
}

/** Fields whose pattern is checked in SQL (`v !~ pattern`) rather than in Node. */
export const sqlPatternFields = (entry: PoolEntry): PoolField[] =>
  entry.fields.filter((f) => f.pattern && !jsPattern(f.pattern));

type Rule = (v: Cell, filled: boolean) => boolean; // true when broken

interface FieldRules {
  field: PoolField;
  index: number;
  rules: { rule: string; broken: Rule }[];
}

/** The rules of one field, in the order the SQL listed them. */
function fieldRules(entry: PoolEntry, f: PoolField, index: number): FieldRules {
  const rules: FieldRules['rules'] = [];
  const add = (rule: string, broken: Rule) => rules.push({ rule, broken });
  if (f.required || f.name === entry.identifierField) add('required', (_v, filled) => !filled);
  if (f.type !== 'string') add('type', (v, filled) => filled && !typeOk(f.type, v!));
  if (f.type === 'string' && f.length) {
    const max = Number(f.length);
    add('length', (v) => v !== null && v.length > max && charLength(v) > max);
  }
  const re = f.pattern ? jsPattern(f.pattern) : null;
  if (re) add('pattern', (v, filled) => filled && !re.test(v!));
  if (f.enumValues?.length) {
    const set = new Set(f.enumValues);
    add('enum', (v, filled) => filled && !set.has(v!));
  }
  if ((f.type === 'integer' || f.type === 'decimal') && (f.min != null || f.max != null)) {
    const { min, max } = f;
    add(
      'range',
      (v, filled) =>
        filled &&
        typeOk(f.type, v!) &&
        ((min != null && compareDecimal(v!, min) < 0) ||
          (max != null && compareDecimal(v!, max) > 0)),
    );
  }
  if (f.validator) {
    const ok = VALIDATORS[f.validator];
    add(f.validator, (v, filled) => filled && !ok(v!));
  }
  return { field: f, index, rules };
}

/** One broken rule of one row, as `rejected_rows` lists it. */
export interface Violation {
  field: string;
  rule: string;
  value: Cell;
}

/** Checks rows (cells in `entry.fields` order) against every field rule of the entry. */
export class RowRules {
  private readonly fields: FieldRules[];
  constructor(entry: PoolEntry) {
    this.fields = entry.fields
      .map((f, i) => fieldRules(entry, f, i))
      .filter((f) => f.rules.length > 0);
  }

  /** Appends the row's violations to `out`. */
  check(cells: Cell[], out: Violation[]): void {
    for (let i = 0; i < this.fields.length; i++) {
      const fr = this.fields[i];
      const v = cells[fr.index];
      const filled = v !== null && v !== '';
      for (let r = 0; r < fr.rules.length; r++) {
        if (fr.rules[r].broken(v, filled))
          out.push({ field: fr.field.name, rule: fr.rules[r].rule, value: v });
      }
    }
  }
}

/** A filled, checked boolean cell as the pool column's COPY input: `t` or `f`. */
export function booleanText(v: string): 't' | 'f' {
  return BOOLEAN_TRUE.has(v.toLowerCase()) ? 't' : 'f';
}
