import type { ProfileId } from '../modules/profiles/index.js';
import type { Db } from '../db/pool.js';
import type { CryptoSuite } from '../lib/crypto.js';
import { withTx } from '../db/pool.js';
import { seedPoolDemo } from './pool.js';
import { makeUscc, orgCodeCheckChar } from '../lib/check-digits.js';
import { hashPassword, identityRepository as repo, type Role } from '../modules/identity/index.js';
import { seedSharingDemo } from './sharing.js';
import { seedCatalogDemo } from './catalog.js';

/** The eight departments of the demo city, with the short codes their usernames start with. */
const DEMO_DEPARTMENTS = [
  ['gaj', '公安局'],
  ['scjg', '市场监督管理局'],
  ['rsj', '人力资源和社会保障局'],
  ['swj', '税务局'],
  ['wjw', '卫生健康委员会'],
  ['zrzy', '自然资源局'],
  ['jyj', '教育局'],
  ['jtj', '交通运输局'],
] as const;

const CITY = '示范市';
/** A valid 统一社会信用代码 for demo body number `n` (机关 11, region 330100). */
function code(kind: string, n: number): string {
  const body = String(70000000 + n);
  return makeUscc(`${kind}330100${body}${orgCodeCheckChar(body)}`);
}

/**
 * Loads the demo deployment once: the city data authority, eight departments, an operator
 * company, and a user for every role. Returns false when it was already there.
 */
export async function seedDemo(
  db: Db,
  password: string,
  profile: ProfileId = 'lingang-2024',
  suite: CryptoSuite = 'standard',
): Promise<boolean> {
  const created = await withTx(db, async (tx) => {
    if ((await tx.query(`SELECT 1 FROM organisations WHERE short_code = 'sjj'`)).rows.length)
      return false;
    const pw = await hashPassword(password);
    const user = (org: string, username: string, display: string, roles: Role[]) =>
      repo.insertUser(tx, {
        org_id: org,
        username,
        display_name: display,
        email: null,
        phone: null,
        roles,
        password_hash: pw,
      });

    const authority = await repo.insertOrg(tx, {
      name: `${CITY}政务服务和数据管理局`,
      code: code('11', 1),
      type: 'authority',
      parent_id: null,
      level: '市级',
      short_code: 'sjj',
    });
    await user(authority.id, 'admin', '平台管理员', ['platform_admin']);
    await user(authority.id, 'reviewer', '审核员', ['reviewer']);
    await user(authority.id, 'auditor', '审计员', ['auditor']);
    let n = 10;
    for (const [short, name] of DEMO_DEPARTMENTS) {
      const org = await repo.insertOrg(tx, {
        name: `${CITY}${name}`,
        code: code('11', n++),
        type: 'department',
        parent_id: authority.id,
        level: '市级',
        short_code: short,
      });
      await user(org.id, `${short}.officer`, `${name}数据专员`, ['officer']);
      await user(org.id, `${short}.cdo`, `${name}首席数据官`, ['cdo', 'officer']);
      await user(org.id, `${short}.consumer`, `${name}业务人员`, ['consumer']);
    }
    const operator = await repo.insertOrg(tx, {
      name: `${CITY}数据集团有限公司`,
      code: code('91', 99),
      type: 'operator',
      parent_id: null,
      level: null,
      short_code: 'sjjt',
    });
    await user(operator.id, 'operator', '授权运营专员', ['operator']);
    await seedCatalogDemo(tx, profile);
    await seedSharingDemo(tx, profile, suite);
    return true;
  });
  if (created) await seedPoolDemo(db);
  return created;
}

export const DEMO_AUTHORITY_CODE = code('11', 1);
