/**
 * Client-side hint for 统一社会信用代码 (GB 32100, embedding a GB 11714 organisation code).
 * The server is the authority; this only tells the user early what the check character should be.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const SHAPE = /^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const ORG_VALUES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

export type UsccProblem =
  | { kind: 'shape' }
  | { kind: 'org_check'; expected: string }
  | { kind: 'check'; expected: string };

function usccCheck(first17: string): string {
  let sum = 0;
  WEIGHTS.forEach((w, i) => {
    sum += ALPHABET.indexOf(first17[i]) * w;
  });
  const c = 31 - (sum % 31);
  return ALPHABET[c === 31 ? 0 : c];
}

function orgCheck(body8: string): string | null {
  if (!/^[0-9A-Z]{8}$/.test(body8)) return null;
  let sum = 0;
  ORG_WEIGHTS.forEach((w, i) => {
    sum += ORG_VALUES.indexOf(body8[i]) * w;
  });
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** What is wrong with a code, or null when it passes both check characters. */
export function usccProblem(code: string): UsccProblem | null {
  if (!SHAPE.test(code)) return { kind: 'shape' };
  const expectedOrg = orgCheck(code.slice(8, 16));
  if (expectedOrg !== null && expectedOrg !== code[16])
    return { kind: 'org_check', expected: expectedOrg };
  const expected = usccCheck(code.slice(0, 17));
  return expected === code[17] ? null : { kind: 'check', expected };
}
