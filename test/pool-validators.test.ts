import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers.js';
import { createDb, type Db } from '../src/db/pool.js';
import { migrate } from '../src/db/migrate.js';
import {
  isLuhnValid,
  isValidIdCard,
  isValidMobile,
  isValidUscc,
  luhnCheckDigit,
  makeIdCard,
  makeUscc,
  orgCodeCheckChar,
  USCC_ALPHABET,
} from '../src/lib/check-digits.js';
import { detectKind, kindOf } from '../src/modules/classification/index.js';

let db: Db;
let drop: () => Promise<void>;
beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createDb(t.url, 2);
  await migrate(db);
});
afterAll(async () => {
  await db.end();
  await drop();
});

/** Asks the SQL validator about every value at once. */
async function sql(fn: string, values: string[]): Promise<boolean[]> {
  const { rows } = await db.query(
    `SELECT ${fn}(v) AS ok FROM unnest($1::text[]) WITH ORDINALITY AS t(v, i) ORDER BY i`,
    [values],
  );
  return rows.map((r) => r.ok);
}

const pick = (s: string) => s[crypto.randomInt(s.length)];
const digits = (n: number) => Array.from({ length: n }, () => crypto.randomInt(10)).join('');
/** Mutates one character, so about nine in ten results break the check digit. */
const mutate = (v: string, alphabet: string) => {
  const i = crypto.randomInt(v.length);
  return v.slice(0, i) + pick(alphabet) + v.slice(i + 1);
};

describe('check-digit validators in SQL agree with the JS reference', () => {
  it('统一社会信用代码 (GB 32100)', async () => {
    const valid = Array.from({ length: 200 }, () => {
      const body = digits(8);
      return makeUscc(`91${digits(6)}${body}${orgCodeCheckChar(body)}`);
    });
    const known = [
      '91350100M000100Y43',
      '91110000100000000A',
      '9111000010000000',
      '',
      'abcdefghijklmnopqr',
      '91350100m000100y43',
      '9135010OM000100Y43',
    ];
    const values = [...valid, ...valid.map((v) => mutate(v, USCC_ALPHABET)), ...known];
    expect(await sql('gongshu_valid_uscc', values)).toEqual(values.map((v) => isValidUscc(v)));
    expect((await sql('gongshu_valid_uscc', valid)).every(Boolean)).toBe(true);
    expect(await sql('gongshu_valid_uscc', ['91350100M000100Y43'])).toEqual([true]);
  });

  it('居民身份证号码 (GB 11643), birth date included', async () => {
    const valid = Array.from({ length: 200 }, (_, i) =>
      makeIdCard(
        `${110101 + i}${1950 + (i % 60)}${String(1 + (i % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}${digits(3)}`,
      ),
    );
    const known = [
      '11010519491231002X',
      '11010519491231002x',
      '110105194912310021',
      '110105194902300026',
      '11010517991231002X',
      '',
      '1101051949123100',
    ];
    const values = [...valid, ...valid.map((v) => mutate(v, '0123456789X')), ...known];
    expect(await sql('gongshu_valid_id_card', values)).toEqual(values.map((v) => isValidIdCard(v)));
    expect(await sql('gongshu_valid_id_card', ['11010519491231002X'])).toEqual([true]);
  });

  it('mobile numbers', async () => {
    const values = [
      '13812345678',
      '+86 13812345678',
      '008613812345678',
      '86-13812345678',
      '12812345678',
      '1381234567',
      '138123456789',
      '+8613812345678',
      '',
      'phone',
    ];
    expect(await sql('gongshu_valid_mobile', values)).toEqual(values.map((v) => isValidMobile(v)));
  });

  it('bank cards (Luhn)', async () => {
    const valid = Array.from({ length: 200 }, (_, i) => {
      const p = `62${digits(10 + (i % 7))}`;
      return p + luhnCheckDigit(p);
    });
    const known = [
      '6200000000000005',
      '6200000000000006',
      '4111111111111111',
      '79927398713',
      '123456789012',
      '62000000000000051234',
      '',
    ];
    const values = [...valid, ...valid.map((v) => mutate(v, '0123456789')), ...known];
    expect(await sql('gongshu_valid_bank_card', values)).toEqual(values.map((v) => isLuhnValid(v)));
  });

  it('dates and date-times', async () => {
    expect(
      await sql('gongshu_valid_date', [
        '2024-02-29',
        '2023-02-29',
        '2023-13-01',
        '2023-00-10',
        '0000-01-01',
        '2023-1-1',
        '2023-04-31',
        '2023-04-30',
      ]),
    ).toEqual([true, false, false, false, false, false, false, true]);
    expect(
      await sql('gongshu_valid_datetime', [
        '2026-01-05T09:30:00+08:00',
        '2026-01-05 09:30',
        '2026-01-05T24:00:00',
        '2026-01-05T09:60',
        '2026-01-05T09:30:00.123Z',
        '2026-01-05',
      ]),
    ).toEqual([true, true, false, false, true, false]);
  });
});

describe('personal-data detection', () => {
  it('recognises each kind in a value', () => {
    expect(kindOf('11010519491231002X')).toBe('id_card');
    expect(kindOf('91350100M000100Y43')).toBe('uscc');
    expect(kindOf('13812345678')).toBe('mobile');
    expect(kindOf('6200000000000005')).toBe('bank_card');
    expect(kindOf('浙A12345')).toBe('plate');
    expect(kindOf('浙AD12345')).toBe('plate');
    expect(kindOf('张伟')).toBe('name');
    expect(kindOf('欧阳娜娜')).toBe('name');
    expect(kindOf('浙江省杭州市西湖区文三路90号')).toBe('address');
    expect(kindOf('someone@example.cn')).toBe('email');
    expect(kindOf('存续')).toBeNull();
    expect(kindOf('12345')).toBeNull();
  });

  it('proposes a kind only when most filled samples share it', () => {
    expect(detectKind(['张伟', '王芳', '李娜', null, '', '刘洋'])).toEqual({
      kind: 'name',
      share: 1,
      sampled: 4,
    });
    expect(detectKind(['张伟', '存续', '注销', '吊销'])).toBeNull();
    expect(detectKind([null, ''])).toBeNull();
  });
});
