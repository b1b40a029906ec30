/** The catalog and registration API for the portal. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import i18n from '../../i18n';

export type Status = 'draft' | 'submitted' | 'approved' | 'published' | 'retired';
export interface CatalogField {
  name: string;
  label: string;
  type: string;
  length?: number | null;
  required: boolean;
  description?: string | null;
  sensitivity: string;
  piiKind?: string | null;
  masking?: string | null;
  pattern?: string | null;
  enumValues?: string[] | null;
  min?: number | null;
  max?: number | null;
  validator?: string | null;
}
export interface Summary {
  id: string;
  code: string;
  name: string;
  summary: string;
  status: Status;
  providerOrgId: string;
  providerName: string;
  categoryCode: string;
  categoryName: string;
  shareType: string;
  openType: string;
  securityLevel: string;
  updateFrequency: string;
  keywords: string[];
  fieldCount: number;
  version: number;
  publishedVersion: number | null;
  updatedAt: string;
  rank?: number;
}
interface Facet {
  value: string;
  label: string;
  count: number;
}
export type FacetName = 'provider' | 'category' | 'shareType' | 'openType' | 'level' | 'status';
export interface SearchPage {
  items: Summary[];
  total: number;
  page: number;
  pageSize: number;
  facets: Record<FacetName, Facet[]>;
}
export interface Resource {
  id: string;
  code: string;
  status: Status;
  providerOrgId: string;
  providerName: string;
  providerCode: string;
  version: number;
  publishedVersion: number | null;
  name: string;
  summary: string;
  categoryCode: string;
  categoryName: string;
  sourceSystemId: string | null;
  sourceSystemName: string | null;
  sourceTableIds: string[];
  identifierKind: string;
  identifierField: string | null;
  shareType: string;
  shareTypeName: string;
  shareConditions: string | null;
  legalBasis: string | null;
  openType: string;
  securityLevel: string;
  updateFrequency: string;
  keywords: string[];
  fields: CatalogField[];
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  actions: string[];
  history: {
    action: string;
    fromStatus: string | null;
    toStatus: string;
    version: number;
    comment: string | null;
    actorName: string | null;
    actorOrg: string | null;
    at: string;
  }[];
}
export interface Version {
  version: number;
  comment: string | null;
  authorName: string | null;
  createdAt: string;
  published: boolean;
  current: boolean;
}
export interface Change {
  attribute: string;
  from: unknown;
  to: unknown;
}
export interface Diff {
  from: number;
  to: number;
  attributes: Change[];
  fields: {
    added: CatalogField[];
    removed: CatalogField[];
    changed: { name: string; label: string; changes: Change[] }[];
  };
  left: Record<string, unknown>;
  right: Record<string, unknown>;
}
export interface Category {
  code: string;
  name: string;
  nameEn: string;
  parentCode: string | null;
  children?: Category[];
}
export interface ImportReport {
  committed: boolean;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rows: {
    row: number;
    code: string | null;
    name: string | null;
    outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
    reasons: { field: string; rule: string; message: string }[];
  }[];
}
export interface Profile {
  shareTypes: { code: string; kind: string; zh: string; en: string; needsLegalBasis: boolean }[];
}

export type SearchQuery = Partial<Record<FacetName | 'q' | 'mine', string>> & {
  page: number;
  pageSize: number;
};
export const useSearch = (q: SearchQuery) =>
  useQuery({
    queryKey: ['resources', 'search', q],
    queryFn: () => api<SearchPage>('/resources', { query: q }),
    placeholderData: keepPreviousData,
  });
export const useResource = (id: string | undefined) =>
  useQuery({
    queryKey: ['resources', id],
    queryFn: () => api<Resource>(`/resources/${id}`),
    enabled: !!id,
  });
export const useVersions = (id: string) =>
  useQuery({
    queryKey: ['resources', id, 'versions'],
    queryFn: () => api<{ items: Version[] }>(`/resources/${id}/versions`),
  });
export const useDiff = (id: string, from: number | null, to: number | null) =>
  useQuery({
    queryKey: ['resources', id, 'diff', from, to],
    enabled: !!from && !!to && from !== to,
    queryFn: () => api<Diff>(`/resources/${id}/diff`, { query: { from: from!, to: to! } }),
  });
export const useCategories = () =>
  useQuery({
    queryKey: ['catalog', 'categories'],
    queryFn: async () => (await api<{ items: Category[] }>('/catalog/categories')).items,
    staleTime: 600_000,
  });
export const useProfile = () =>
  useQuery({ queryKey: ['profile'], queryFn: () => api<Profile>('/profile'), staleTime: 600_000 });
export const transition = (id: string, action: string, comment?: string) =>
  api<Resource>(`/resources/${id}/${action}`, { method: 'POST', body: comment ? { comment } : {} });

/** Sends the spreadsheet as the request body. */
export const importXlsx = (file: File, atomic: boolean): Promise<ImportReport> =>
  postXlsx(`/catalog/import${atomic ? '?atomic=true' : ''}`, file);

/**
 * Registers the table structures of a filled-in sheet; a sheet with bad rows is refused whole
 * (details.rows).
 */
export const importTablesXlsx = (systemId: string, file: File): Promise<{ items: Table[] }> =>
  postXlsx(`/systems/${systemId}/tables/import`, file);

/** POSTs a spreadsheet as the raw request body. */
async function postXlsx<T>(path: string, file: File): Promise<T> {
  const res = await fetch(`/api/v1${path}`, {
    method: 'POST',
    credentials: 'same-origin',
    body: file,
    headers: {
      'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'accept-language': i18n.language === 'en-US' ? 'en-US,en' : 'zh-CN,zh',
    },
  });
  const body = await res.json();
  if (!res.ok)
    throw new ApiError(
      res.status,
      body.error?.code ?? 'HTTP',
      body.error?.message ?? String(res.status),
      body.error?.details ?? {},
    );
  return body as T;
}

// registration
export interface System {
  id: string;
  orgId: string;
  orgName: string;
  name: string;
  description: string | null;
  owner: string;
  constructionStage: string;
  accepted: boolean;
  acceptedAt: string | null;
  tableCount: number;
  uncataloguedTables: number;
}
interface Column {
  name: string;
  type: string;
  length: number | null;
  nullable: boolean;
  primaryKey: boolean;
  comment: string | null;
}
export interface Table {
  id: string;
  systemId: string;
  databaseName: string;
  name: string;
  comment: string | null;
  columns: Column[];
  source: string;
  exemptionBasis: string | null;
  catalogued: boolean;
}
export interface Dataset {
  id: string;
  orgName: string;
  kind: string;
  name: string;
  description: string | null;
  format: string | null;
  volume: string | null;
  supplier: string | null;
  contractNo: string | null;
  validUntil: string | null;
}
export interface FunctionItem {
  id: string;
  duty: string;
  dutyBasis: string | null;
  dataName: string;
  description: string | null;
  resourceId: string | null;
  resourceName: string | null;
}
export const useSystems = () =>
  useQuery({
    queryKey: ['systems'],
    queryFn: async () => (await api<{ items: System[] }>('/systems')).items,
  });
export const useSystem = (id: string) =>
  useQuery({ queryKey: ['systems', id], queryFn: () => api<System>(`/systems/${id}`) });
export const useTables = (id: string) =>
  useQuery({
    queryKey: ['systems', id, 'tables'],
    queryFn: async () => (await api<{ items: Table[] }>(`/systems/${id}/tables`)).items,
  });
export const useDatasets = () =>
  useQuery({
    queryKey: ['datasets'],
    queryFn: async () => (await api<{ items: Dataset[] }>('/datasets')).items,
  });
export interface FunctionReview {
  status: 'submitted' | 'approved' | 'returned';
  submittedAt: string;
  submittedBy: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  comment: string | null;
}
export interface SubmittedList {
  orgId: string;
  orgName: string;
  items: number;
  submittedAt: string;
  submittedBy: string | null;
}
/** A body's function data list (its own without `org`) and its 审定. */
export const useFunctionList = (org?: string) =>
  useQuery({
    queryKey: ['function-data', org ?? 'mine'],
    queryFn: () =>
      api<{ items: FunctionItem[]; review: FunctionReview | null }>('/function-data', {
        query: { org },
      }),
  });
export const useSubmittedLists = (enabled: boolean) =>
  useQuery({
    queryKey: ['function-data', 'submitted'],
    enabled,
    queryFn: async () => (await api<{ items: SubmittedList[] }>('/function-data/submitted')).items,
  });
