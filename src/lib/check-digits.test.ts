import { describe, expect, it } from 'vitest';
import {
  USCC_ALPHABET,
  idCardCheckChar,
  isLuhnValid,
  isValidIdCard,
  isValidMobile,
  isValidOrgCode,
  isValidUscc,
  luhnCheckDigit,
  makeIdCard,
  makeUscc,
  orgCodeCheckChar,
  usccCheckChar,
} from './check-digits.js';

/** Every string that differs from `value` in exactly one position, over `alphabet`. */
function singleCharCorruptions(value: string, alphabet: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < value.length; i += 1) {
    for (const ch of alphabet) {
      if (ch !== value[i]) out.push(value.slice(0, i) + ch + value.slice(i + 1));
    }
  }
  return out;
}

describe('统一社会信用代码 (GB 32100-2015)', () => {
  // The sample code used in GB 32100 material, and codes published by large companies;
  // each passes both the GB 32100 and the embedded GB 11714 check independently.
  const valid = [
    '91350100M000100Y43',
    '91440300708461136T',
    '914403001922038216',
    '91330100716105852F',
  ];

  it.each(valid)('accepts %s', (code) => {
    expect(isValidUscc(code)).toBe(true);
    expect(usccCheckChar(code.slice(0, 17))).toBe(code[17]);
    expect(makeUscc(code.slice(0, 17))).toBe(code);
  });

  it('refuses 911100001000061868: its 18th character should be M, not 8', () => {
    // The organisation code inside (100006186) is fine; the GB 32100 sum of the first 17
    // characters gives M, so this code was mis-copied somewhere.
    expect(isValidUscc('911100001000061868')).toBe(false);
    expect(usccCheckChar('91110000100006186')).toBe('M');
    expect(isValidOrgCode('100006186')).toBe(true);
    expect(isValidUscc('91110000100006186M')).toBe(true);
  });

  it('refuses every single-character corruption of a valid code', () => {
    const accepted = singleCharCorruptions('91350100M000100Y43', USCC_ALPHABET).filter((c) =>
      isValidUscc(c),
    );
    expect(accepted).toEqual([]);
  });

  it('refuses the wrong length, lower case and letters outside the alphabet', () => {
    expect(isValidUscc('91350100M000100Y4')).toBe(false);
    expect(isValidUscc('91350100M000100Y433')).toBe(false);
    expect(isValidUscc('91350100m000100y43')).toBe(false);
    // I, O, S, V and Z are not in the alphabet, even where the check would work out.
    expect(isValidUscc('91350100I000100Y43')).toBe(false);
    expect(isValidUscc(null)).toBe(false);
    expect(isValidUscc(91350100)).toBe(false);
  });

  it('requires a 6-digit administrative division code in positions 3-8', () => {
    const first17 = '9135A100M000100Y4';
    const code = `${first17}X`; // whatever the check character, the shape is wrong
    expect(isValidUscc(code)).toBe(false);
    expect(() => usccCheckChar(first17)).toThrow(/6-digit division code/);
  });

  it('checks the embedded organisation code unless told not to', () => {
    // Position 17 changed from 4 to 5, then the 18th character recomputed to match.
    const first17 = '91350100M000100Y5';
    const code = first17 + usccCheckChar(first17);
    expect(isValidUscc(code)).toBe(false);
    expect(isValidUscc(code, { orgCode: false })).toBe(true);
    expect(() => makeUscc(first17)).toThrow(/expected 4 for M000100Y, got 5/);
  });

  it('generates the check character 0 when the remainder is 0', () => {
    // Brute-force a 17-character prefix whose sum is divisible by 31 (check 31 → '0').
    let found: string | undefined;
    for (let n = 0; n < 100_000 && !found; n += 1) {
      const body = String(n).padStart(8, '0');
      const first17 = `91110000${body}${orgCodeCheckChar(body)}`;
      if (/^[0-9]$/.test(first17[16]) && usccCheckChar(first17) === '0') found = first17;
    }
    expect(found).toBeDefined();
    expect(isValidUscc(`${found}0`)).toBe(true);
  });
});

describe('组织机构代码 (GB 11714-1997)', () => {
  it('computes check characters, including X for 10 and 0 for 11', () => {
    expect(orgCodeCheckChar('M000100Y')).toBe('4');
    expect(orgCodeCheckChar('70846113')).toBe('6');
    const all = new Set<string>();
    for (let n = 0; n < 200; n += 1) all.add(orgCodeCheckChar(String(n).padStart(8, '0')));
    expect(all).toContain('X');
    expect(all).toContain('0');
  });

  it('accepts the 9-character and the certificate 8-1 forms', () => {
    expect(isValidOrgCode('708461136')).toBe(true);
    expect(isValidOrgCode('70846113-6')).toBe(true);
    expect(isValidOrgCode('70846113-7')).toBe(false);
    expect(isValidOrgCode('7084611-36')).toBe(false);
  });

  it('refuses a malformed body', () => {
    expect(() => orgCodeCheckChar('m000100y')).toThrow(RangeError);
  });
});

describe('居民身份证号码 (GB 11643-1999)', () => {
  // The two examples printed in GB 11643-1999.
  const valid = ['11010519491231002X', '440524188001010014'];

  it.each(valid)('accepts %s', (id) => {
    expect(isValidIdCard(id)).toBe(true);
    expect(idCardCheckChar(id.slice(0, 17))).toBe(id[17]);
    expect(makeIdCard(id.slice(0, 17))).toBe(id);
  });

  it('refuses every single-character corruption of a valid number', () => {
    const accepted = singleCharCorruptions('11010519491231002X', '0123456789X').filter((id) =>
      isValidIdCard(id),
    );
    expect(accepted).toEqual([]);
  });

  it('refuses a lower-case x check character', () => {
    expect(isValidIdCard('11010519491231002x')).toBe(false);
  });

  it('refuses impossible birth dates even with a correct check character', () => {
    for (const birth of ['19490230', '19491301', '17991231']) {
      const first17 = `110105${birth}002`;
      expect(isValidIdCard(first17 + idCardCheckChar(first17))).toBe(false);
      expect(() => makeIdCard(first17)).toThrow(/real birth date/);
    }
    expect(isValidIdCard(makeIdCard('11010520000229002'))).toBe(true); // 2000 was a leap year
  });

  it('refuses a birth date after asOf', () => {
    const id = makeIdCard('11010520250601002');
    expect(isValidIdCard(id)).toBe(true);
    expect(isValidIdCard(id, { asOf: '2025-06-01' })).toBe(true);
    expect(isValidIdCard(id, { asOf: '2025-05-31' })).toBe(false);
    // 2025-05-31T16:30Z is already 1 June in Beijing.
    expect(isValidIdCard(id, { asOf: new Date('2025-05-31T16:30:00Z') })).toBe(true);
  });

  it('refuses other shapes', () => {
    expect(isValidIdCard('110105491231002')).toBe(false); // 15-digit numbers are not accepted
    expect(isValidIdCard('01010519491231002X')).toBe(false);
    expect(isValidIdCard(undefined)).toBe(false);
    expect(() => makeIdCard('1101051949123100')).toThrow(/17 characters/);
  });
});

describe('mobile numbers', () => {
  it.each([
    '13812345678',
    '19912345678',
    '+8613812345678',
    '8613812345678',
    '+86 13812345678',
    '0086-15912345678',
  ])('accepts %s', (s) => expect(isValidMobile(s)).toBe(true));

  it.each([
    '12812345678',
    '1381234567',
    '138123456789',
    '+85213812345678',
    '138 1234 5678',
    '',
    13812345678,
  ])('refuses %s', (s) => expect(isValidMobile(s)).toBe(false));
});

describe('bank card numbers (Luhn)', () => {
  const valid = ['4111111111111111', '6200000000000005', '6011111111111117'];

  it.each(valid)('accepts %s', (card) => {
    expect(isLuhnValid(card)).toBe(true);
    expect(luhnCheckDigit(card.slice(0, -1))).toBe(card.slice(-1));
  });

  it('refuses every single-digit corruption', () => {
    const accepted = singleCharCorruptions('6200000000000005', '0123456789').filter(isLuhnValid);
    expect(accepted).toEqual([]);
  });

  it('refuses numbers outside 12-19 digits even when the Luhn sum is right', () => {
    expect(isLuhnValid('79927398713')).toBe(false); // the classic 11-digit Luhn example
    const nineteen = '620000000000000000';
    expect(isLuhnValid(nineteen + luhnCheckDigit(nineteen))).toBe(true);
    expect(isLuhnValid('62000000000000000000')).toBe(false);
    expect(isLuhnValid('6200 0000 0000 0005')).toBe(false);
  });

  it('refuses a malformed prefix for check-digit generation', () => {
    expect(() => luhnCheckDigit('62000')).toThrow(/11-18 digits/);
  });
});
