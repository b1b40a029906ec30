/**
 * The shape of a published catalog entry the pool is built from. It mirrors the catalog
 * module's contract (`CatalogField`, `PoolResource`) so the pool engine depends only on data.
 */
export type FieldType = 'string' | 'integer' | 'decimal' | 'date' | 'datetime' | 'boolean';
export type Validator = 'id_card' | 'uscc' | 'mobile' | 'bank_card';
export type UpdateFrequency =
  | 'realtime'
  | 'daily'
  | 'weekly'
  | 'monthly'
  | 'quarterly'
  | 'yearly'
  | 'irregular';

interface CatalogField {
  name: string;
  label: string;
  type: FieldType;
  length?: number | null;
  required: boolean;
  description?: string | null;
  sensitivity: 'public' | 'internal' | 'sensitive' | 'personal';
  piiKind?:
    | 'id_card'
    | 'mobile'
    | 'name'
    | 'address'
    | 'bank_card'
    | 'plate'
    | 'uscc'
    | 'email'
    | null;
  masking?: 'none' | 'partial' | 'hash' | 'generalise' | 'truncate' | null;
  pattern?: string | null;
  enumValues?: string[] | null;
  min?: number | null;
  max?: number | null;
  validator?: Validator | null;
}

export interface PoolResource {
  id: string;
  code: string;
  name: string;
  providerOrgId: string;
  version: number;
  identifierField: string | null;
  updateFrequency: UpdateFrequency;
  shareType?: string;
  openType?: string;
  status?: string;
  fields: CatalogField[];
}

/** A catalog field as the pool stores it: with the platform-generated column holding it. */
export interface PoolField extends CatalogField {
  column: string;
}

/** A resource's pool table as recorded in `pool_tables`. */
export interface PoolEntry {
  resourceId: string;
  tableName: string;
  providerOrgId: string;
  code: string | null;
  name: string;
  version: number;
  updateFrequency: UpdateFrequency;
  identifierField: string | null;
  fields: PoolField[];
  nextColumn: number;
  publishedAt: Date;
  lastLoadedAt: Date | null;
}

export type BatchMode = 'append' | 'upsert' | 'snapshot';
export type BatchFormat = 'json' | 'ndjson' | 'csv' | 'xlsx';
export type BatchStatus = 'running' | 'committed' | 'rejected' | 'failed';
