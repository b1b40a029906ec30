import type { PoolField } from '../pool/index.js';

export const MASK_RULES = ['none', 'partial', 'hash', 'generalise', 'truncate'] as const;
export type MaskRule = (typeof MASK_RULES)[number];

/** Characters kept at the start and end by partial cover, per kind of personal data. */
const PARTIAL: Record<string, [number, number]> = {
  id_card: [6, 4], // 110101********1234
  mobile: [3, 4], // 138****5678
  name: [1, 0], // 张*
  bank_card: [4, 4],
  plate: [2, 1],
  uscc: [6, 4],
};

/**
 * The SQL expression that yields `column` masked by `rule` — the one place masking is defined,
 * used by record reads, change feeds and COPY exports alike. `salt` is an SQL expression
 * (a bound parameter or a session setting), never a literal.
 */
export function maskExpr(
  field: Pick<PoolField, 'type' | 'piiKind'>,
  rule: MaskRule,
  column: string,
  salt: string,
  algorithm: 'sm3' | 'sha256',
): string {
  const text = `${column}::text`;
  switch (rule) {
    case 'none':
      return column;
    case 'hash':
      return `gongshu_hash(${text}, ${salt}, '${algorithm}')`;
    case 'partial': {
      if (field.piiKind === 'address') return `gongshu_mask_address(${text})`;
      if (field.piiKind === 'email') return `gongshu_mask_email(${text})`;
      const [head, tail] = PARTIAL[field.piiKind ?? ''] ?? [1, 1];
      return `gongshu_mask_keep(${text}, ${head}, ${tail})`;
    }
    case 'generalise':
      if (field.type === 'date' || field.type === 'datetime')
        return `to_char(${column}, 'YYYY-MM')`;
      if (field.type === 'integer' || field.type === 'decimal') {
        // two significant digits: 123456 → 120000
        return `round(${column}::numeric, -greatest(length(abs(trunc(${column}))::bigint::text) - 2, 0))`;
      }
      if (field.piiKind === 'address') return `gongshu_mask_address(${text})`;
      return `CASE WHEN ${column} IS NULL THEN NULL ELSE left(${text}, 2) || '***' END`;
    case 'truncate':
      if (field.type === 'date' || field.type === 'datetime') return `to_char(${column}, 'YYYY')`;
      return `left(${text}, 4)`;
  }
}

/** The masking a catalog field asks for by default. */
export function defaultRule(field: Pick<PoolField, 'masking' | 'sensitivity'>): MaskRule {
  return (field.masking as MaskRule | null | undefined) ?? 'none';
}
