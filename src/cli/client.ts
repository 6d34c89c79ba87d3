/**
 * A small HTTP client of a Baton server, for the commands that take `--server URL` (deploy, run,
 * executions, logs...). The URL comes from `--server` or `BATON_SERVER`; credentials from
 * `BATON_SERVER_TOKEN` (an API token, sent as Bearer) or `BATON_SERVER_USER` and
 * `BATON_SERVER_PASSWORD` (Basic). An answer other than 2xx becomes a `ServerRequestError` whose message
 * is the server's own (`{ message }`), prefixed with what was asked.
 */
import { BatonError, UsageError } from '../errors.ts';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestOptions {
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, with `contentType` (default text/plain). */
  text?: string;
  /** Sent as multipart/form-data (inputs with files). */
  form?: FormData;
  contentType?: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
}

/** A request the server refused (4xx: exit 2, what was asked is wrong) or failed (5xx: exit 3). */
export class ServerRequestError extends BatonError {
  /** The HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** The server's error code (`INVALID_FLOW`, `NOT_FOUND`...), when it said one. */
  readonly serverCode?: string;
  /** The server's `details` (such as the located errors of an invalid flow). */
  readonly details?: unknown;
  constructor(message: string, status: number, answer?: { code?: string; details?: unknown }) {
    super(status >= 400 && status < 500 ? 'USAGE' : 'INTERNAL', message);
    this.status = status;
    this.serverCode = answer?.code;
    this.details = answer?.details;
  }
}

export interface ServerClient {
  /** The server's base URL, without a trailing slash. */
  url: string;
  /** A request under the server's URL (`/api/v1/...`): the parsed JSON answer, the text, or undefined (204). */
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** The raw response (for streams such as server-sent events), with the credentials; never throws on status. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** `response` when 2xx; otherwise the same `ServerRequestError` as `request` (for `fetch` users). */
  check(method: string, path: string, response: Response): Promise<Response>;
}

/** The server URL from the option or `BATON_SERVER`, or a usage error saying how to give one. */
export const serverUrl = (option: string | undefined, env: NodeJS.ProcessEnv = process.env): string => {
  const url = option ?? env.BATON_SERVER;
  if (!url) throw new UsageError('no server: give --server URL or set BATON_SERVER');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--server: '${url}' is not a URL (such as http://localhost:8080)`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new UsageError(`--server: '${url}' must be an http:// or https:// URL`);
  return url.replace(/\/+$/, '');
};

/** The Authorization header from the environment, if credentials are set. */
export const authorization = (env: NodeJS.ProcessEnv = process.env): string | undefined => {
  if (env.BATON_SERVER_TOKEN) return `Bearer ${env.BATON_SERVER_TOKEN}`;
  if (env.BATON_SERVER_USER)
    return `Basic ${Buffer.from(`${env.BATON_SERVER_USER}:${env.BATON_SERVER_PASSWORD ?? ''}`).toString('base64')}`;
  return undefined;
};

/** `path` with the query's defined values appended (repeated for a list). */
export const withQuery = (path: string, query: Record<string, QueryValue> | undefined): string => {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value as readonly string[]) params.append(key, v);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
};

const readAnswer = async (response: Response): Promise<unknown> => {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text;
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return text;
  }
};

export const serverClient = (options: { server?: string; env?: NodeJS.ProcessEnv } = {}): ServerClient => {
  const env = options.env ?? process.env;
  const url = serverUrl(options.server, env);
  const auth = authorization(env);

  const send = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (auth && !headers.has('authorization')) headers.set('authorization', auth);
    try {
      return await fetch(`${url}${path}`, { ...init, headers });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ServerRequestError(
        `cannot reach the server at ${url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
        0,
      );
    }
  };

  /** The error of an answer other than 2xx, with the server's message (or what to do on a 401). */
  const failure = (method: string, target: string, response: Response, answer: unknown) => {
    const fields = (typeof answer === 'object' && answer !== null ? answer : {}) as {
      message?: string;
      code?: string;
      details?: unknown;
    };
    const reason =
      response.status === 401
        ? auth
          ? `the server at ${url} refused the credentials (${env.BATON_SERVER_TOKEN ? 'BATON_SERVER_TOKEN' : `BATON_SERVER_USER ${env.BATON_SERVER_USER}`}): check them`
          : 'authentication required: set BATON_SERVER_TOKEN, or BATON_SERVER_USER and BATON_SERVER_PASSWORD'
        : (fields.message ?? (typeof answer === 'string' && answer ? answer : response.statusText));
    return new ServerRequestError(
      `${method} ${target.split('?')[0]}: ${response.status} ${reason}`,
      response.status,
      fields,
    );
  };

  return {
    url,
    fetch: send,
    async check(method: string, path: string, response: Response): Promise<Response> {
      if (response.ok) return response;
      throw failure(method, path, response, await readAnswer(response));
    },
    async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = { accept: 'application/json, text/plain', ...opts.headers };
      let body: string | FormData | undefined;
      if (opts.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.json);
      } else if (opts.text !== undefined) {
        headers['content-type'] = opts.contentType ?? 'text/plain';
        body = opts.text;
      } else if (opts.form !== undefined) body = opts.form; // fetch sets the multipart boundary
      const target = withQuery(path, opts.query);
      const response = await send(target, { method, headers, body });
      const answer = await readAnswer(response);
      if (response.ok) return answer as T;
      throw failure(method, target, response, answer);
    },
  };
};
