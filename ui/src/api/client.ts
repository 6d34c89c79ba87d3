/**
 * Calls to Baton's public API (`/api/v1/...`), the same one scripts use. Every call carries the signed-in
 * session's Bearer token; a 401 ends the session (the app goes back to the login page). Errors are
 * `ApiError`s with the server's `{ message, code }`.
 */
import { clearSession, currentSession } from '../auth/session.ts';

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, message: string, code: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export interface RequestOptions {
  method?: string;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (YAML text, FormData). */
  body?: BodyInit;
  contentType?: string;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  signal?: AbortSignal;
  /** Credentials other than the session's (the login form's Basic header). */
  authorization?: string;
  /** Other request headers (a KV entry's `ttl`). */
  headers?: Record<string, string>;
}

export const queryString = (query: RequestOptions['query'] = {}): string => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
};

/** The URL of an API path, with the query. */
export const apiUrl = (path: string, query?: RequestOptions['query']): string =>
  `${API_BASE}${path}${queryString(query)}`;

/** Headers of every call: the session's token, and the marker that keeps the browser's Basic dialog away. */
export const authHeaders = (authorization?: string): Headers => {
  const headers = new Headers({ 'x-requested-with': 'XMLHttpRequest' });
  const auth = authorization ?? (currentSession() ? `Bearer ${currentSession()?.token}` : undefined);
  if (auth) headers.set('authorization', auth);
  return headers;
};

const errorOf = async (response: Response): Promise<ApiError> => {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: string; code?: string; details?: unknown };
    return new ApiError(
      response.status,
      body.message ?? response.statusText,
      body.code ?? 'ERROR',
      body.details,
    );
  } catch {
    return new ApiError(response.status, text || response.statusText, 'ERROR');
  }
};

/** A call whose answer is read by the caller (streams, text). Throws `ApiError` for any non-2xx. */
export const rawRequest = async (path: string, opts: RequestOptions = {}): Promise<Response> => {
  const headers = authHeaders(opts.authorization);
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers.set(name, value);
  let body = opts.body;
  if (opts.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(opts.json);
  } else if (opts.contentType) headers.set('content-type', opts.contentType);
  const response = await fetch(apiUrl(path, opts.query), {
    method: opts.method ?? 'GET',
    headers,
    body,
    signal: opts.signal,
  });
  if (!response.ok) {
    // The session's token expired or was revoked: sign in again. (A wrong password at login is the
    // login form's own 401, with its own credentials.)
    if (response.status === 401 && !opts.authorization) clearSession('expired');
    throw await errorOf(response);
  }
  return response;
};

/** A call answering JSON (or nothing: 204). */
export const request = async <T>(path: string, opts: RequestOptions = {}): Promise<T> => {
  const response = await rawRequest(path, opts);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
};
