/**
 * Shared HTTP client of http.Request and http.Download (Node's fetch): builds the request from Kestra's
 * properties (method, headers, body / formData, auth, timeouts) and reads the body with an idle timeout.
 */

import type { LocalStorage } from '../../storage/local.ts';
import { parseDuration } from '../duration.ts';
import { TaskError } from '../types.ts';

/**
 * What a call needs from its caller: a task's context satisfies it, and so does a polling trigger
 * (`http.Trigger`), which has no task run. `storage` reads the `kestra:///` files of `formData`.
 */
export interface HttpCallContext {
  signal: AbortSignal;
  storage?: LocalStorage;
}

export interface HttpProps {
  uri: string;
  method?: string;
  body?: string;
  formData?: Record<string, unknown>;
  contentType?: string;
  headers?: Record<string, string>;
  allowFailed?: boolean;
  options?: {
    timeout?: { connectTimeout?: string; readIdleTimeout?: string };
    auth?: { type?: 'BASIC' | 'BEARER'; username?: string; password?: string; token?: string };
    followRedirects?: boolean;
    basicAuthUser?: string;
    basicAuthPassword?: string;
    allowFailed?: boolean;
  };
}

export interface HttpResponse {
  code: number;
  headers: Record<string, string[]>;
  body: Buffer;
}

const buildBody = async (ctx: HttpCallContext, props: HttpProps, headers: Headers) => {
  if (props.formData && Object.keys(props.formData).length > 0) {
    if ((props.contentType ?? '').toLowerCase().startsWith('multipart/form-data')) {
      const form = new FormData();
      for (const [k, v] of Object.entries(props.formData)) {
        if (typeof v === 'string' && v.startsWith('kestra:///')) {
          if (!ctx.storage) throw new TaskError(`formData ${k}: no internal storage here to read ${v} from`);
          form.append(k, new Blob([await ctx.storage.get(v)]), v.slice(v.lastIndexOf('/') + 1));
        } else form.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      }
      return form; // fetch sets the multipart boundary itself
    }
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(props.formData))
      params.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    return params;
  }
  if (props.body !== undefined && props.body !== null) {
    if (!headers.has('content-type')) headers.set('content-type', props.contentType ?? 'application/json');
    return typeof props.body === 'string' ? props.body : JSON.stringify(props.body);
  }
  return undefined;
};

/** Sends the request; fails on status >= 400 unless allowFailed. */
export const send = async (ctx: HttpCallContext, props: HttpProps): Promise<HttpResponse> => {
  const headers = new Headers();
  for (const [k, v] of Object.entries(props.headers ?? {})) headers.set(k, String(v));
  const auth = props.options?.auth;
  const user = auth?.type === 'BASIC' ? auth.username : props.options?.basicAuthUser;
  const password = auth?.type === 'BASIC' ? auth.password : props.options?.basicAuthPassword;
  if (user !== undefined)
    headers.set('authorization', `Basic ${Buffer.from(`${user}:${password ?? ''}`).toString('base64')}`);
  if (auth?.type === 'BEARER' && auth.token) headers.set('authorization', `Bearer ${auth.token}`);
  const body = await buildBody(ctx, props, headers);

  const timeouts = props.options?.timeout ?? {};
  const connectMs = timeouts.connectTimeout
    ? parseDuration(timeouts.connectTimeout, 'connectTimeout')
    : undefined;
  const idleMs = timeouts.readIdleTimeout
    ? parseDuration(timeouts.readIdleTimeout, 'readIdleTimeout')
    : undefined;
  const local = new AbortController();
  const signal = AbortSignal.any([ctx.signal, local.signal]);
  let timer = connectMs
    ? setTimeout(
        () => local.abort(new TaskError(`HTTP: no response after ${timeouts.connectTimeout}`)),
        connectMs,
      )
    : undefined;
  let res: Response;
  try {
    res = await fetch(props.uri, {
      method: (props.method ?? 'GET').toUpperCase(),
      headers,
      body,
      redirect: props.options?.followRedirects === false ? 'manual' : 'follow',
      signal,
    });
    const chunks: Buffer[] = [];
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        clearTimeout(timer);
        if (idleMs)
          timer = setTimeout(
            () => local.abort(new TaskError(`HTTP: no data for ${timeouts.readIdleTimeout}`)),
            idleMs,
          );
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(Buffer.from(value));
      }
    }
    const out: Record<string, string[]> = {};
    res.headers.forEach((value, name) => {
      out[name] = [...(out[name] ?? []), value];
    });
    const response = { code: res.status, headers: out, body: Buffer.concat(chunks) };
    if (res.status >= 400 && !(props.allowFailed ?? props.options?.allowFailed ?? false)) {
      throw new TaskError(`Failed http request with response code '${res.status}'`);
    }
    return response;
  } catch (e) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    if (local.signal.aborted) throw local.signal.reason;
    if (e instanceof TaskError) throw e;
    const cause = (e as { cause?: { message?: string } }).cause?.message;
    throw new TaskError(
      `HTTP request to ${props.uri} failed: ${(e as Error).message}${cause ? ` (${cause})` : ''}`,
      { cause: e },
    );
  } finally {
    clearTimeout(timer);
  }
};
