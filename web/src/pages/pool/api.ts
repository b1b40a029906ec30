/** The pool's API for the portal: pooled resources, batches with their rejected rows, quality. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client';

export interface PoolInfo {
  resourceId: string;
  code: string | null;
  name: string;
  providerOrgId: string;
  version: number;
  identifierField: string | null;
  updateFrequency: string;
  rows: number;
  lastLoadedAt: string | null;
  publishedAt: string;
  /** Fields with detected personal data its provider has not decided on yet. */
  proposalsPending: number;
  fields: {
    name: string;
    label: string;
    type: string;
    required: boolean;
    sensitivity: string;
    validator: string | null;
  }[];
}
export type BatchStatus = 'running' | 'committed' | 'rejected' | 'failed';
export interface Batch {
  id: string;
  resourceId: string;
  mode: string;
  strict: boolean;
  format: string;
  status: BatchStatus;
  idempotencyKey: string | null;
  received: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  deleted: number;
  unchanged: number;
  bytes: number;
  error: Record<string, unknown> | null;
  fileName: string | null;
  startedBy: { name: string };
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}
export interface RejectedRow {
  row: number;
  field: string;
  rule: string;
  value: string | null;
}
interface Scores {
  completeness: number;
  accuracy: number;
  consistency: number;
  timeliness: number;
  overall: number;
}
export interface ResourceQuality {
  resourceId: string;
  current: Scores | null;
  lastLoadedAt: string | null;
  overdue: boolean;
  series: (Scores & { batchId: string; at: string; rows: number })[];
  rules: { field: string; rule: string; violations: number }[];
}
export interface Overdue {
  resourceId: string;
  code: string | null;
  name: string;
  providerName: string;
  updateFrequency: string;
  lastLoadedAt: string | null;
  dueAt: string;
  daysOverdue: number;
}

export const usePoolResources = () =>
  useQuery({
    queryKey: ['pool', 'resources'],
    queryFn: () => api<{ items: PoolInfo[] }>('/pool/resources'),
  });
export const usePoolInfo = (id: string) =>
  useQuery({ queryKey: ['pool', id], queryFn: () => api<PoolInfo>(`/resources/${id}/pool`) });
export const useBatches = (id: string, page: number) =>
  useQuery({
    queryKey: ['pool', id, 'batches', page],
    queryFn: () =>
      api<{ items: Batch[]; total: number }>(`/resources/${id}/batches`, {
        query: { page, pageSize: 10 },
      }),
  });
export const useBatch = (id: string) =>
  useQuery({ queryKey: ['batch', id], queryFn: () => api<Batch>(`/batches/${id}`) });
export const useRejected = (id: string, offset: number) =>
  useQuery({
    queryKey: ['batch', id, 'rejected', offset],
    queryFn: () =>
      api<{ total: number; items: RejectedRow[] }>(`/batches/${id}/rejected`, {
        query: { limit: 20, offset },
      }),
  });
export interface Proposal {
  field: string;
  detectedKind: string;
  share: number;
  sampled: number;
  proposed: { sensitivity: string; masking: string };
  status: 'proposed' | 'accepted' | 'changed';
  source: 'batch' | 'registration';
  decided: { sensitivity: string; masking: string; by: string | null; at: string | null } | null;
}
export const useProposals = (id: string) =>
  useQuery({
    queryKey: ['classification', id],
    queryFn: () => api<{ items: Proposal[] }>(`/resources/${id}/classification`),
  });
export function useDecideProposal(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      field,
      decision,
    }: {
      field: string;
      decision: { accept: true } | { sensitivity: string; masking: string };
    }) =>
      api<Proposal & { catalog: { version: number; status: string } | null }>(
        `/resources/${id}/classification/${field}`,
        { method: 'POST', body: decision },
      ),
    // the decision went into the catalog entry too
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: ['classification', id] }),
        qc.invalidateQueries({ queryKey: ['resources', id] }),
      ]),
  });
}
export const useQuality = (id: string) =>
  useQuery({
    queryKey: ['quality', id],
    queryFn: () => api<ResourceQuality>(`/resources/${id}/quality`),
  });
export const useOverdue = () =>
  useQuery({
    queryKey: ['quality', 'overdue'],
    queryFn: () => api<{ items: Overdue[] }>('/quality/overdue'),
  });

const TYPES: Record<string, string> = {
  csv: 'text/csv',
  ndjson: 'application/x-ndjson',
  jsonl: 'application/x-ndjson',
  json: 'application/json',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * Uploads a file as one batch with upload progress (XHR, since fetch cannot report it); resolves
 * with the API's answer.
 */
export function uploadBatch(
  resourceId: string,
  file: File,
  opts: { mode: string; strict: boolean },
  onProgress: (share: number) => void,
) {
  return new Promise<{
    status: number;
    body: {
      batchId?: string;
      error?: { code: string; message: string; details: Record<string, unknown> };
    };
  }>((resolve, reject) => {
    const type = TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''];
    if (!type) {
      reject(new Error('format'));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open(
      'POST',
      `/api/v1/resources/${resourceId}/batches?mode=${opts.mode}${opts.strict ? '&strict=true' : ''}`,
    );
    xhr.setRequestHeader('content-type', type);
    xhr.setRequestHeader(
      'idempotency-key',
      `portal-${encodeURIComponent(file.name)}-${file.size}-${file.lastModified}-${opts.mode}-${opts.strict}`.slice(
        0,
        200,
      ),
    );
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        /* not JSON */
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}
