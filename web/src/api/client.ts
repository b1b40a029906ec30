/**
 * The portal's one way to call the API: JSON in and out, errors as {@link ApiError} carrying
 * the server's `{error:{code,message,details}}`, and a missing or expired session sending the
 * browser to the sign-in page with the current location as `next`.
 */
import i18n from '../i18n';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Query;
  body?: unknown;
  /** Set for calls where 401 is an answer, not an expired session (sign-in itself). */
  noAuthRedirect?: boolean;
}

/** Where the browser goes when the session is gone: sign-in, then back to `next`. */
function loginPath(next = window.location.pathname + window.location.search): string {
  return next && next !== '/' && !next.startsWith('/login')
    ? `/login?next=${encodeURIComponent(next)}`
    : '/login';
}

let onUnauthenticated: (path: string) => void = (path) => window.location.assign(path);
/** Lets the router take over the redirect (no full reload). */
export function setUnauthenticatedHandler(handler: (path: string) => void): void {
  onUnauthenticated = handler;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

/** Calls `/api/v1<path>` and returns the parsed body (undefined for 204). */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': i18n.language === 'en-US' ? 'en-US,en' : 'zh-CN,zh',
  };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(`/api/v1${path}`, opts.query), {
      method: opts.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', i18n.t('error.network'));
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* a non-JSON body (a proxy's error page) is reported by status below */
  }
  if (res.ok) return body as T;
  const err = (
    body as
      | { error?: { code?: string; message?: string; details?: Record<string, unknown> } }
      | undefined
  )?.error;
  const error = new ApiError(
    res.status,
    err?.code ?? `HTTP_${res.status}`,
    err?.message ?? i18n.t('error.http', { status: res.status }),
    err?.details ?? {},
  );
  if (res.status === 401 && !opts.noAuthRedirect && !window.location.pathname.startsWith('/login'))
    onUnauthenticated(loginPath());
  throw error;
}
