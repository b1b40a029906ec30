/**
 * Check-digit validators and generators for the identifiers public data is keyed by:
 * 统一社会信用代码 (GB 32100-2015) with its embedded 组织机构代码 (GB 11714-1997),
 * 居民身份证号码 (GB 11643-1999), mainland mobile numbers and bank card numbers (Luhn).
 *
 * Validators take `unknown` because they run over raw pooled values; anything that is not
 * a string is simply invalid. They are strict about case: GB 32100 and GB 11643 write
 * letters in upper case, so a lower-case 'x' fails — callers that want leniency normalise
 * first. Generators throw a RangeError naming the rule their input breaks.
 */
import { type DayInput, toDay } from './working-days.js';

/** The 31 characters a 统一社会信用代码 may use: digits and capitals without I, O, S, V, Z. */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const USCC_FIRST17 = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{9}$/;

/** GB 11714: character values 0-9 then A=10 … Z=35; weights for the 8 body characters. */
const ORG_CODE_VALUES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const ORG_CODE_BODY = /^[0-9A-Z]{8}$/;

const ID_CARD_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CARD_CHECK_CHARS = '10X98765432';
const ID_CARD_FIRST17 = /^[1-9][0-9]{16}$/;

/** The weighted sum of `chars` under `weights`, each char valued by its index in `values`. */
function weightedSum(chars: string, values: string, weights: readonly number[]): number {
  let sum = 0;
  weights.forEach((weight, i) => {
    sum += values.indexOf(chars.charAt(i)) * weight;
  });
  return sum;
}

/**
 * The check character of a GB 11714 organisation code (组织机构代码) from its 8-character
 * body: C9 = 11 − (Σ value × weight mod 11), written 'X' for 10 and '0' for 11.
 *
 * @param body8 eight digits or capital letters.
 * @throws RangeError if `body8` is not eight of [0-9A-Z].
 */
export function orgCodeCheckChar(body8: string): string {
  if (!ORG_CODE_BODY.test(body8)) {
    throw new RangeError(
      `organisation code body must be 8 digits or capital letters; got ${JSON.stringify(body8)}`,
    );
  }
  const check = 11 - (weightedSum(body8, ORG_CODE_VALUES, ORG_CODE_WEIGHTS) % 11);
  return check === 10 ? 'X' : check === 11 ? '0' : String(check);
}

/**
 * Whether `value` is a valid GB 11714 organisation code (组织机构代码), the identifier the
 * 2016 city rules use for legal persons `[001 §16]`. Accepts 9 characters, or the 8-1
 * form printed on certificates ('MA2F4X0K-7').
 */
export function isValidOrgCode(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const code = value.length === 10 && value[8] === '-' ? value.slice(0, 8) + value[9] : value;
  if (code.length !== 9 || !ORG_CODE_BODY.test(code.slice(0, 8))) return false;
  return orgCodeCheckChar(code.slice(0, 8)) === code[8];
}

/**
 * The 18th character of a 统一社会信用代码 (GB 32100-2015) from the first 17:
 * 31 − (Σ value × weight mod 31), with 31 written as '0'.
 *
 * @param first17 registration authority (1), entity category (1), administrative division
 *   code (6 digits), organisation code (9) — all from {@link USCC_ALPHABET}.
 * @throws RangeError if `first17` does not have that shape.
 */
export function usccCheckChar(first17: string): string {
  if (!USCC_FIRST17.test(first17)) {
    throw new RangeError(
      `the first 17 characters of a 统一社会信用代码 must be 2 code characters, a 6-digit division code ` +
        `and a 9-character organisation code, all from ${USCC_ALPHABET}; got ${JSON.stringify(first17)}`,
    );
  }
  const check = 31 - (weightedSum(first17, USCC_ALPHABET, USCC_WEIGHTS) % 31);
  return USCC_ALPHABET.charAt(check === 31 ? 0 : check);
}

/** Options for {@link isValidUscc}. */
export interface UsccOptions {
  /**
   * Also require positions 9-17 to be a valid GB 11714 organisation code (default true).
   * Every code issued under GB 32100 carries one; turn this off only for data known to
   * hold codes that were issued outside the standard.
   */
  orgCode?: boolean;
}

/**
 * Whether `value` is a valid 统一社会信用代码 (unified social credit code, GB 32100-2015):
 * 18 characters from {@link USCC_ALPHABET}, positions 3-8 digits, the 18th character the
 * GB 32100 check character and — unless `options.orgCode` is false — positions 9-17 a
 * valid GB 11714 organisation code.
 *
 * @example isValidUscc('91350100M000100Y43') // true
 */
export function isValidUscc(value: unknown, options: UsccOptions = {}): boolean {
  if (typeof value !== 'string' || value.length !== 18) return false;
  const first17 = value.slice(0, 17);
  if (!USCC_FIRST17.test(first17) || usccCheckChar(first17) !== value[17]) return false;
  return options.orgCode === false || isValidOrgCode(value.slice(8, 17));
}

/**
 * Completes a 统一社会信用代码 by appending its check character, e.g. for test data.
 * The embedded organisation code must already carry its own check character
 * (see {@link orgCodeCheckChar}), so the result always passes {@link isValidUscc}.
 *
 * @throws RangeError if `first17` has the wrong shape or a wrong organisation-code check.
 */
export function makeUscc(first17: string): string {
  const check = usccCheckChar(first17);
  const expected = orgCodeCheckChar(first17.slice(8, 16));
  if (first17[16] !== expected) {
    throw new RangeError(
      `position 17 of a 统一社会信用代码 is the organisation-code check character: ` +
        `expected ${expected} for ${first17.slice(8, 16)}, got ${first17[16]}`,
    );
  }
  return first17 + check;
}

/** Whether an 8-digit YYYYMMDD string is a real calendar day. */
function isRealDay(yyyymmdd: string): boolean {
  const [year, month, day] = [yyyymmdd.slice(0, 4), yyyymmdd.slice(4, 6), yyyymmdd.slice(6, 8)];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.toISOString().slice(0, 10) === `${year}-${month}-${day}`;
}

/** The oldest birth year accepted; GB 11643's own example is a person born in 1880. */
const ID_CARD_MIN_BIRTH_YEAR = 1800;

function birthDateProblem(first17: string, asOf?: DayInput): string | undefined {
  const birth = first17.slice(6, 14);
  if (Number(birth.slice(0, 4)) < ID_CARD_MIN_BIRTH_YEAR || !isRealDay(birth)) {
    return `positions 7-14 must be a real birth date YYYYMMDD from ${ID_CARD_MIN_BIRTH_YEAR}; got ${birth}`;
  }
  if (asOf !== undefined && birth > toDay(asOf).replaceAll('-', '')) {
    return `birth date ${birth} is after ${toDay(asOf)}`;
  }
  return undefined;
}

/**
 * The check character of an 18-digit 居民身份证号码 (GB 11643-1999) from the first 17
 * digits: '10X98765432'[Σ digit × weight mod 11].
 *
 * @throws RangeError if `first17` is not 17 digits starting with 1-9.
 */
export function idCardCheckChar(first17: string): string {
  if (!ID_CARD_FIRST17.test(first17)) {
    throw new RangeError(
      `the first 17 characters of a 身份证号码 must be digits, the first 1-9; got ${JSON.stringify(first17)}`,
    );
  }
  return ID_CARD_CHECK_CHARS.charAt(weightedSum(first17, '0123456789', ID_CARD_WEIGHTS) % 11);
}

/** Options for {@link isValidIdCard}. */
export interface IdCardOptions {
  /** Refuse birth dates after this day (read in Asia/Shanghai), typically today. */
  asOf?: DayInput;
}

/**
 * Whether `value` is a valid 18-character 居民身份证号码 (GB 11643-1999): a 6-digit address
 * code, a real birth date YYYYMMDD (from 1800, and not after `options.asOf` if given), a
 * 3-digit sequence and the check character (digit or capital 'X'). The 15-digit numbers
 * issued before 1999 are not accepted.
 *
 * @example isValidIdCard('11010519491231002X') // true — the example in GB 11643
 */
export function isValidIdCard(value: unknown, options: IdCardOptions = {}): boolean {
  if (typeof value !== 'string' || value.length !== 18) return false;
  const first17 = value.slice(0, 17);
  if (!ID_CARD_FIRST17.test(first17) || idCardCheckChar(first17) !== value[17]) return false;
  return birthDateProblem(first17, options.asOf) === undefined;
}

/**
 * Completes a 居民身份证号码 by appending its check character, e.g. for test data.
 *
 * @throws RangeError if `first17` is not 17 digits or does not hold a real birth date.
 */
export function makeIdCard(first17: string): string {
  const check = idCardCheckChar(first17);
  const problem = birthDateProblem(first17);
  if (problem) throw new RangeError(`身份证号码: ${problem}`);
  return first17 + check;
}

const MOBILE = /^(?:(?:\+|00)?86[ -]?)?1[3-9][0-9]{9}$/;

/**
 * Whether `value` is a mainland China mobile number: 11 digits starting 13-19, optionally
 * preceded by the country code as '+86', '0086' or '86' (with an optional space or hyphen).
 *
 * @example isValidMobile('+86 13812345678') // true
 */
export function isValidMobile(value: unknown): boolean {
  return typeof value === 'string' && MOBILE.test(value);
}

const CARD_NUMBER = /^[0-9]{12,19}$/;

/** Σ of the Luhn-doubled digits of `digits`, where the rightmost digit is not doubled. */
function luhnSum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum;
}

/**
 * Whether `value` is a bank card number: 12-19 digits, no spaces, passing the Luhn
 * (mod 10) check of ISO/IEC 7812.
 *
 * @example isLuhnValid('6200000000000005') // true — a UnionPay test number
 */
export function isLuhnValid(value: unknown): boolean {
  return typeof value === 'string' && CARD_NUMBER.test(value) && luhnSum(value) % 10 === 0;
}

/**
 * The Luhn check digit to append to `partial` (11-18 digits), e.g. for test card numbers.
 *
 * @throws RangeError if `partial` is not 11-18 digits.
 */
export function luhnCheckDigit(partial: string): string {
  if (!/^[0-9]{11,18}$/.test(partial)) {
    throw new RangeError(
      `a card number without its check digit must be 11-18 digits; got ${JSON.stringify(partial)}`,
    );
  }
  return String((10 - (luhnSum(`${partial}0`) % 10)) % 10);
}
