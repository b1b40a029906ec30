import type { Tx } from '../../db/pool.js';

export const FIELD_TYPES = ['string', 'integer', 'decimal', 'date', 'datetime', 'boolean'] as const;
export const SENSITIVITIES = ['public', 'internal', 'sensitive', 'personal'] as const;
export const PII_KINDS = [
  'id_card',
  'mobile',
  'name',
  'address',
  'bank_card',
  'plate',
  'uscc',
  'email',
] as const;
export const MASKINGS = ['none', 'partial', 'hash', 'generalise', 'truncate'] as const;
export const VALIDATORS = ['id_card', 'uscc', 'mobile', 'bank_card'] as const;
export const UPDATE_FREQUENCIES = [
  'realtime',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
  'irregular',
] as const;
/**
 * Identifier kinds of [001 §16]: ID card for people, 统一社会信用代码 for bodies, coordinates or a city
 * code for things.
 */
export const IDENTIFIER_KINDS = ['id_card', 'uscc', 'coordinate', 'unified_code', 'none'] as const;
export const OPEN_TYPES = ['open', 'conditional_open', 'not_open'] as const;
/** 一般 / 重要 / 核心 [003 §9]. */
export const SECURITY_LEVELS = ['general', 'important', 'core'] as const;
export const STATUSES = ['draft', 'submitted', 'approved', 'published', 'retired'] as const;

type FieldType = (typeof FIELD_TYPES)[number];
type UpdateFrequency = (typeof UPDATE_FREQUENCIES)[number];
export type ResourceStatus = (typeof STATUSES)[number];

/** One field (信息项) of a catalog entry; the pool builds its columns and quality rules from these. */
export type CatalogField = {
  /** Machine name ^[a-z][a-z0-9_]{0,62}$, unique per entry. */
  name: string;
  /** Chinese label. */
  label: string;
  type: FieldType;
  length?: number | null;
  required: boolean;
  description?: string | null;
  sensitivity: (typeof SENSITIVITIES)[number];
  piiKind?: (typeof PII_KINDS)[number] | null;
  masking?: (typeof MASKINGS)[number] | null;
  pattern?: string | null;
  enumValues?: string[] | null;
  min?: number | null;
  max?: number | null;
  validator?: (typeof VALIDATORS)[number] | null;
};

/** What the pool needs of a catalog entry: the published version when there is one. */
export type PoolResource = {
  id: string;
  code: string;
  name: string;
  providerOrgId: string;
  version: number;
  identifierField: string | null;
  updateFrequency: UpdateFrequency;
  shareType: string;
  openType: string;
  status: string;
  fields: CatalogField[];
};

export type PublishHook = (tx: Tx, resource: PoolResource) => Promise<void>;

/** The content of an entry that versions keep and diffs compare. */
export interface EntryContent {
  name: string;
  summary: string;
  categoryCode: string;
  sourceSystemId: string | null;
  sourceTableIds: string[];
  identifierKind: (typeof IDENTIFIER_KINDS)[number];
  identifierField: string | null;
  shareType: string;
  shareConditions: string | null;
  legalBasis: string | null;
  openType: (typeof OPEN_TYPES)[number];
  securityLevel: (typeof SECURITY_LEVELS)[number];
  updateFrequency: UpdateFrequency;
  keywords: string[];
  fields: CatalogField[];
}
