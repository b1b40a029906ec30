import type { App } from '../src/server/app.js';

/** A valid entry body; override anything. */
export function entryBody(overrides: Record<string, unknown> = {}) {
  return {
    name: '人口基础信息',
    summary: '本市户籍人口和常住人口的基础身份信息，包括姓名、公民身份号码、出生日期、户籍地址等。',
    categoryCode: '0101',
    identifierKind: 'id_card',
    identifierField: 'id_card_no',
    shareType: 'conditional',
    shareConditions: '用于政务服务事项办理中的身份核验',
    legalBasis: '《中华人民共和国居民身份证法》',
    openType: 'not_open',
    securityLevel: 'important',
    updateFrequency: 'daily',
    keywords: ['户籍', '身份'],
    fields: [
      {
        name: 'id_card_no',
        label: '公民身份号码',
        type: 'string',
        length: 18,
        required: true,
        sensitivity: 'personal',
        piiKind: 'id_card',
        masking: 'partial',
        validator: 'id_card',
      },
      {
        name: 'full_name',
        label: '姓名',
        type: 'string',
        length: 50,
        required: true,
        sensitivity: 'personal',
        piiKind: 'name',
        masking: 'partial',
      },
      {
        name: 'birth_date',
        label: '出生日期',
        type: 'date',
        required: false,
        sensitivity: 'internal',
      },
    ],
    ...overrides,
  };
}

export async function createEntry(
  app: App,
  cookie: string,
  overrides: Record<string, unknown> = {},
) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/resources',
    headers: { cookie },
    payload: entryBody(overrides),
  });
  if (res.statusCode !== 201) throw new Error(`create failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Walks an entry through submit → approve → publish with the three people who may do each. */
export async function publishEntry(
  app: App,
  id: string,
  who: { provider: string; reviewer: string; admin: string },
) {
  for (const [action, cookie] of [
    ['submit', who.provider],
    ['approve', who.reviewer],
    ['publish', who.admin],
  ] as const) {
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/resources/${id}/${action}`,
      headers: { cookie },
      payload: { comment: `${action} ok` },
    });
    if (res.statusCode !== 200) throw new Error(`${action} failed: ${res.statusCode} ${res.body}`);
  }
}
