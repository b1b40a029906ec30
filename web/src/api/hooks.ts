/** TanStack Query hooks over the API: one key per resource so mutations know what to refresh. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from './client';
import type {
  ActivityPoint,
  ApiClient,
  AuditEntry,
  AuditVerify,
  Me,
  OrgInput,
  Organisation,
  Paged,
  User,
  UserCreate,
  UserPatch,
  WorkbenchTask,
} from './types';

const keys = {
  me: ['me'] as const,
  orgs: ['orgs'] as const,
  users: ['users'] as const,
  clients: ['clients'] as const,
  audit: ['audit'] as const,
};

export function useMe() {
  return useQuery({
    queryKey: keys.me,
    queryFn: () => api<Me>('/auth/me'),
    staleTime: 60_000,
    retry: false,
  });
}

export function useOrgs() {
  return useQuery({
    queryKey: keys.orgs,
    queryFn: async () => (await api<{ items: Organisation[] }>('/orgs')).items,
    staleTime: 30_000,
  });
}

export function useSaveOrg() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id?: string; input: Partial<OrgInput> }) =>
      id
        ? api<Organisation>(`/orgs/${id}`, { method: 'PATCH', body: input })
        : api<Organisation>('/orgs', { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.orgs }),
  });
}

export interface UserFilter {
  org?: string;
  q?: string;
  role?: string;
  page: number;
  pageSize: number;
}
export function useUsers(filter: UserFilter) {
  return useQuery({
    queryKey: [...keys.users, 'list', filter],
    queryFn: () => api<Paged<User>>('/users', { query: { ...filter } }),
    placeholderData: keepPreviousData,
  });
}
export function useUser(id: string | undefined) {
  return useQuery({
    queryKey: [...keys.users, 'one', id],
    queryFn: () => api<User>(`/users/${id}`),
    enabled: !!id,
    retry: (n, e) => !(e instanceof ApiError && e.status < 500) && n < 2,
  });
}
export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (input: UserCreate) => api<User>('/users', { method: 'POST', body: input }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users }),
  });
}
export function usePatchUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UserPatch }) =>
      api<User>(`/users/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.users }),
  });
}
export function useResetPassword() {
  return useMutation({
    mutationFn: (id: string) =>
      api<{ id: string; password?: string }>(`/users/${id}/password`, { method: 'POST', body: {} }),
  });
}

export function useClients(filter: { org?: string; page: number; pageSize: number }) {
  return useQuery({
    queryKey: [...keys.clients, filter],
    queryFn: () => api<Paged<ApiClient>>('/clients', { query: { ...filter } }),
    placeholderData: keepPreviousData,
  });
}
export function useCreateClient() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({
      orgId,
      ...input
    }: {
      orgId: string;
      name: string;
      roles?: string[];
      expiresAt?: string;
    }) =>
      api<{ id: string; key: string; client: ApiClient }>(`/orgs/${orgId}/clients`, {
        method: 'POST',
        body: input,
      }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.clients }),
  });
}
export function useRevokeClient() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<ApiClient>(`/clients/${id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.clients }),
  });
}

export interface AuditFilter {
  actor?: string;
  org?: string;
  action?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}
export function useAudit(filter: AuditFilter) {
  return useQuery({
    queryKey: [...keys.audit, 'list', filter],
    queryFn: () =>
      api<Paged<AuditEntry> & { totalExact: boolean }>('/audit', { query: { ...filter } }),
    placeholderData: keepPreviousData,
  });
}
export function useVerifyAudit() {
  return useMutation({ mutationFn: () => api<AuditVerify>('/audit/verify') });
}
export function useActivity(days = 30) {
  return useQuery({
    queryKey: [...keys.audit, 'activity', days],
    queryFn: async () =>
      (await api<{ items: ActivityPoint[] }>('/audit/activity', { query: { days } })).items,
  });
}

/** "What waits for me": later modules add kinds on the server; absent endpoint = nothing waits. */
export function useWorkbenchTasks() {
  return useQuery({
    queryKey: ['workbench', 'tasks'],
    queryFn: async () => {
      try {
        return (await api<{ items: WorkbenchTask[] }>('/workbench/tasks')).items ?? [];
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return [];
        throw e;
      }
    },
  });
}
