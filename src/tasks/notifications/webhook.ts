/**
 * Posting a JSON message to an incoming webhook (Slack, Teams, Rocket.Chat, Mattermost...), over the
 * HTTP client of http.Request. A webhook URL is a credential (whoever has it may post): errors name
 * the host only, never the path, and nothing about the call goes to the outputs.
 * Failures: a 4xx answer means the URL or the message is wrong, so retrying cannot help (not
 * retryable); a 5xx answer or no answer at all may pass (retryable).
 */
import type { TaskRunContext } from '../context.ts';
import { type HttpProps, send } from '../http/client.run.ts';
import { TaskError } from '../types.ts';

/**
 * How long to wait for the webhook's answer when the task sets no `options.timeout`: a server that
 * accepts the connection but never answers would otherwise hold the worker's slot until the task's
 * own `timeout`, if it has one.
 */
export const DEFAULT_WEBHOOK_TIMEOUT = 'PT60S';

/** Answers longer than this are cut in error messages (an HTML error page can be large). */
const MAX_ANSWER_IN_ERROR = 300;

export interface WebhookCall {
  /** The incoming webhook URL. */
  url: string;
  /** The message: JSON text, or a value serialised to JSON. */
  payload: unknown;
  /** The service named in errors ("Slack", "Microsoft Teams"). */
  service: string;
  /** http.Request's `options` (timeouts, proxy, TLS), as written in the task. */
  options?: HttpProps['options'];
}

/** The host of a URL, for messages (the path of a webhook URL is its secret). */
export const hostOf = (url: string): string => {
  try {
    return new URL(url).host;
  } catch {
    return '(not a URL)';
  }
};

/** The JSON text to send: a string must parse (a broken template would otherwise reach the service). */
export const payloadText = (payload: unknown, service: string): string => {
  if (typeof payload !== 'string') return JSON.stringify(payload);
  try {
    JSON.parse(payload);
  } catch (error) {
    throw new TaskError(
      `${service}: the payload is not JSON once rendered (${(error as Error).message}); a value ` +
        'inserted with {{ }} that holds quotes or new lines must be written `{{ value | toJson }}`',
      { retryable: false },
    );
  }
  return payload;
};

const causeOf = (error: unknown): string => {
  const cause = (error as { cause?: { message?: string; cause?: { message?: string; code?: string } } })
    .cause;
  return cause?.cause?.code ?? cause?.cause?.message ?? cause?.message ?? (error as Error).message;
};

/** Posts the message; resolves with the service's answer (status and text) when it is below 400. */
export const postWebhook = async (
  ctx: TaskRunContext,
  call: WebhookCall,
): Promise<{ code: number; body: string }> => {
  const body = payloadText(call.payload, call.service);
  const host = hostOf(call.url);
  if (!/^https?:\/\//i.test(call.url))
    throw new TaskError(`${call.service}: the webhook url must be an http:// or https:// URL`, {
      retryable: false,
    });
  const options = {
    ...call.options,
    timeout: { connectTimeout: DEFAULT_WEBHOOK_TIMEOUT, ...call.options?.timeout },
    allowFailed: true,
  };
  let res: Awaited<ReturnType<typeof send>>;
  try {
    res = await send(ctx, { uri: call.url, method: 'POST', body, contentType: 'application/json', options });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new TaskError(
      `${call.service}: could not post to ${host} (${causeOf(error)}); check the webhook url, that the ` +
        'host is reachable from the worker, and any proxy in `options`',
      { retryable: true },
    );
  }
  const answer = res.body.toString('utf8');
  const shown = answer.length > MAX_ANSWER_IN_ERROR ? `${answer.slice(0, MAX_ANSWER_IN_ERROR)}…` : answer;
  if (res.code >= 500)
    throw new TaskError(`${call.service}: ${host} answered ${res.code} (${shown}); the service may be down`, {
      retryable: true,
    });
  if (res.code >= 400)
    throw new TaskError(
      `${call.service}: ${host} refused the message with ${res.code} (${shown}); check the webhook url ` +
        '(revoked or mistyped) and the payload',
      { retryable: false },
    );
  return { code: res.code, body: answer };
};
