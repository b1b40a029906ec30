import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isValidUscc, makeUscc, orgCodeCheckChar, USCC_ALPHABET } from '../../lib/check-digits.js';
import { fastUscc } from './pool.checks.js';

describe('the streaming USCC check', () => {
  it('agrees with the reference validator on valid codes, single-character corruptions and random strings', () => {
    const pick = (alphabet: string) => alphabet[crypto.randomInt(alphabet.length)];
    let valid = 0;
    for (let i = 0; i < 20_000; i++) {
      const body = Array.from({ length: 8 }, () => pick(USCC_ALPHABET)).join('');
      const code = makeUscc(
        `${pick('19')}${pick('123')}${String(crypto.randomInt(1e6)).padStart(6, '0')}${body}${orgCodeCheckChar(body)}`,
      );
      const pos = crypto.randomInt(18);
      const corrupt = code.slice(0, pos) + pick(`${USCC_ALPHABET}IOSVZ`) + code.slice(pos + 1);
      const noise = Array.from({ length: 18 }, () => pick(`${USCC_ALPHABET}abcIOZ-`)).join('');
      for (const c of [code, corrupt, noise, code.toLowerCase(), code.slice(0, 17), `${code}0`]) {
        expect(fastUscc(c), c).toBe(isValidUscc(c));
      }
      valid += Number(fastUscc(code));
    }
    expect(valid).toBe(20_000);
  });
});
