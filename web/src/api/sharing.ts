/**
 * Sharing (共享) as the portal uses it: share requests, reviews, channels, reads through a
 * channel, usage and the over-scope report (see API.md "Sharing" and /api/openapi.json).
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './client';
import type { Paged } from './types';

export const MASK_RULES = ['none', 'partial', 'hash', 'generalise', 'truncate'] as const;
export type MaskRule = (typeof MASK_RULES)[number];
export const DELIVERIES = ['api', 'export', 'push', 'verify'] as const;
export type Delivery = (typeof DELIVERIES)[number];
type Reviewer = 'platform' | 'authority' | 'provider';
export type RequestStatus = 'pending' | 'approved' | 'refused' | 'withdrawn';
type StepStatus = 'waiting' | 'pending' | 'approved' | 'refused' | 'skipped';
export type ChannelStatus = 'active' | 'suspended' | 'revoked' | 'frozen' | 'expired';
export type ChannelAction = 'suspend' | 'resume' | 'revoke' | 'renew';

/** A field of a catalog entry, as the catalog serves it. */
export interface CatalogField {
  name: string;
  label: string;
  type: string;
  required?: boolean;
  description?: string | null;
  sensitivity: 'public' | 'internal' | 'sensitive' | 'personal';
  piiKind?: string | null;
  masking?: MaskRule | null;
}
/** What the request form needs of a catalog entry (GET /resources/{id}). */
export interface CatalogEntry {
  id: string;
  code: string;
  name: string;
  summary: string;
  status: string;
  providerOrgId: string;
  providerName: string;
  shareType: string;
  shareTypeName?: string;
  shareConditions?: string | null;
  legalBasis?: string | null;
  identifierField?: string | null;
  fields: CatalogField[];
}
export interface CatalogSummary {
  id: string;
  code: string;
  name: string;
  providerName: string;
  shareType: string;
  status: string;
}

interface ShareType {
  code: string;
  kind: 'unconditional' | 'conditional' | 'special' | 'not-shared';
  zh: string;
  en: string;
  needsReview: boolean;
  requestable: boolean;
  verifiable: boolean;
  namedRecipients?: boolean;
}
/** The active regulation profile, as far as sharing needs it. */
export interface Profile {
  id: string;
  name: { zh: string; en: string };
  shareTypes: ShareType[];
  workflow: Record<
    string,
    | { reviewer: string | string[]; answerDays: number | null; deliverDays: number | null }
    | undefined
  >;
  channelFreezeDays: number | null;
}

export interface Step {
  position: number;
  reviewer: Reviewer;
  status: StepStatus;
  due: string | null;
  workingDaysLeft: number | null;
  overdue: boolean;
  decidedBy: string | null;
  decidedAt: string | null;
  basis: string | null;
  comment: string | null;
}
type RowFilter = Record<string, string[]>;
export interface ShareRequest {
  id: string;
  resource: { id: string; name: string; code: string };
  provider: { id: string; name: string };
  requester: { orgId: string; orgName: string; userName: string };
  shareType: string;
  shareKind: string;
  fields: string[];
  rowFilter: RowFilter | null;
  purpose: string;
  scenario: string;
  legalBasis: string | null;
  until: string;
  delivery: Delivery;
  status: RequestStatus;
  answerDue: string | null;
  deliverDue: string | null;
  overdue: boolean;
  agreementAccepted: boolean;
  channelId: string | null;
  createdAt: string;
  pendingReviewer: Reviewer | null;
  steps?: Step[];
}
export interface RequestCreate {
  resourceId: string;
  fields: string[];
  purpose: string;
  scenario: string;
  legalBasis?: string;
  until: string;
  delivery: Delivery;
  rowFilter?: RowFilter;
  push?: { endpoint: string; schedule: 'hourly' | 'daily' };
}
export interface DecisionInput {
  decision: 'approve' | 'refuse';
  basis?: string;
  comment?: string;
  masking?: Record<string, MaskRule>;
  rowFilter?: RowFilter;
}

export interface Channel {
  id: string;
  requestId: string;
  resource: { id: string; name: string };
  provider: { id: string; name: string };
  consumer: { id: string; name: string };
  fields: string[];
  rowFilter: RowFilter | null;
  masking: Record<string, MaskRule>;
  delivery: Delivery;
  verifyOnly: boolean;
  status: ChannelStatus;
  statusReason: string | null;
  expiresAt: string;
  lastUsedAt: string | null;
  push: { endpoint: string; schedule: string; cursor: number; nextAt: string | null } | null;
  createdAt: string;
}
export interface UsageDay {
  day: string;
  reads: number;
  rows: number;
  denied: number;
}
export interface PushDelivery {
  id: number;
  at: string;
  cursor_from: number;
  cursor_to: number;
  rows: number;
  attempt: number;
  status: 'delivered' | 'failed';
  http_status: number | null;
  error: string | null;
}
export interface Usage {
  days: UsageDay[];
  deliveries: PushDelivery[];
}
export interface RecordsPage {
  items: Record<string, unknown>[];
  nextCursor: string | null;
}
export interface Violation {
  id: number;
  at: string;
  channelId: string;
  resourceName: string;
  orgId: string;
  orgName: string;
  actorName: string | null;
  kind: string;
  detail: unknown;
}

const k = {
  requests: ['share-requests'] as const,
  channels: ['channels'] as const,
};

/** Retry server failures, never refusals (403/404 are answers). */
const retry = (n: number, e: unknown) => !(e instanceof ApiError && e.status < 500) && n < 2;

export function useProfile() {
  return useQuery({
    queryKey: ['profile'],
    queryFn: () => api<Profile>('/profile'),
    staleTime: Infinity,
  });
}

export function useCatalogEntry(id: string | undefined) {
  return useQuery({
    queryKey: ['resources', 'one', id],
    queryFn: () => api<CatalogEntry>(`/resources/${id}`),
    enabled: !!id,
    retry,
  });
}
export function useCatalogSearch(q: string) {
  return useQuery({
    queryKey: ['resources', 'published', q],
    queryFn: () =>
      api<Paged<CatalogSummary>>('/resources', {
        query: { q: q || undefined, status: 'published', pageSize: 50 },
      }),
    placeholderData: keepPreviousData,
  });
}

export interface RequestFilter {
  role: 'mine' | 'to-review' | 'all';
  status?: RequestStatus;
  overdue?: boolean;
  page: number;
  pageSize: number;
}
export function useShareRequests(filter: RequestFilter) {
  return useQuery({
    queryKey: [...k.requests, 'list', filter],
    queryFn: () => api<Paged<ShareRequest>>('/share-requests', { query: { ...filter } }),
    placeholderData: keepPreviousData,
  });
}
export function useShareRequest(id: string | undefined) {
  return useQuery({
    queryKey: [...k.requests, 'one', id],
    queryFn: () => api<ShareRequest>(`/share-requests/${id}`),
    enabled: !!id,
    retry,
  });
}
export function useCreateShareRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: RequestCreate) =>
      api<ShareRequest>('/share-requests', { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: k.requests }),
  });
}
export function useDecide() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string; input: DecisionInput }) =>
      api<ShareRequest>(`/share-requests/${id}/decisions`, { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: k.requests }),
  });
}
export function useAcceptAgreement() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      api<ShareRequest>(`/share-requests/${id}/agreement`, {
        method: 'POST',
        body: { accept: true },
      }),
    onSuccess: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: k.requests }),
        qc.invalidateQueries({ queryKey: k.channels }),
      ]),
  });
}

export function useChannels(filter: { status?: ChannelStatus; page: number; pageSize: number }) {
  return useQuery({
    queryKey: [...k.channels, 'list', filter],
    queryFn: () => api<Paged<Channel>>('/channels', { query: { ...filter } }),
    placeholderData: keepPreviousData,
  });
}
export function useChannel(id: string | undefined) {
  return useQuery({
    queryKey: [...k.channels, 'one', id],
    queryFn: () => api<Channel>(`/channels/${id}`),
    enabled: !!id,
    retry,
  });
}
export function useChannelUsage(id: string | undefined) {
  return useQuery({
    queryKey: [...k.channels, 'usage', id],
    queryFn: () => api<Usage>(`/channels/${id}/usage`),
    enabled: !!id,
    retry,
  });
}
export function useChangeChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      action,
      reason,
      until,
    }: {
      id: string;
      action: ChannelAction;
      reason?: string;
      until?: string;
    }) =>
      api<Channel>(`/channels/${id}/${action}`, {
        method: 'POST',
        body: { reason: reason || undefined, until },
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: k.channels }),
  });
}

/** One page of masked rows through a channel; `query` holds `<field>=<value>` filters. */
export function useChannelRecords(
  id: string | undefined,
  query: Record<string, string>,
  cursor: string | null,
  enabled: boolean,
) {
  const qc = useQueryClient();
  return useQuery({
    queryKey: [...k.channels, 'records', id, query, cursor],
    queryFn: async () => {
      const page = await api<RecordsPage>(`/channels/${id}/records`, {
        query: { ...query, limit: 20, cursor: cursor ?? undefined },
      });
      // a read marks the channel used and adds to its usage
      void qc.invalidateQueries({ queryKey: [...k.channels, 'usage', id] });
      void qc.invalidateQueries({ queryKey: [...k.channels, 'one', id] });
      return page;
    },
    enabled: !!id && enabled,
    retry,
    placeholderData: keepPreviousData,
  });
}
export function useVerify(id: string) {
  return useMutation({
    mutationFn: (match: Record<string, string>) =>
      api<{ match: boolean }>(`/channels/${id}/verify`, { method: 'POST', body: { match } }),
  });
}
/** The download address of a channel's export; the browser streams it with the session cookie. */
export const exportUrl = (id: string, format: 'csv' | 'ndjson' | 'xlsx') =>
  `/api/v1/channels/${id}/export?format=${format}`;

export function useOverScope(page: number, pageSize: number) {
  return useQuery({
    queryKey: ['over-scope', page, pageSize],
    queryFn: () => api<Paged<Violation>>('/sharing/over-scope', { query: { page, pageSize } }),
    placeholderData: keepPreviousData,
  });
}
