/**
 * http.SseRequest: reads a Server-Sent Events stream to its end and outputs its events (or, with
 * `concatJqExpression`, the concatenation of what jq extracts from them). Pure parsing below; the
 * request itself is the shared client's.
 */
import { loadJq, runJq } from '../../expression/jq.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';
import { type HttpProps, send } from './client.run.ts';

export interface SseEvent {
  data?: unknown;
  id?: string;
  name?: string;
  comment?: string;
  /** ISO-8601 duration, as Kestra serialises the `retry` field. */
  retry?: string;
}

const parseData = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** The events of an `text/event-stream` body (the WHATWG rules: blank lines end events). */
export const parseSse = (body: string): SseEvent[] => {
  const events: SseEvent[] = [];
  let data: string[] = [];
  let current: SseEvent = {};
  const flush = () => {
    if (data.length > 0) events.push({ ...current, data: parseData(data.join('\n')) });
    data = [];
    current = {};
  };
  for (const line of body.split(/\r\n|\r|\n/)) {
    if (line === '') {
      flush();
      continue;
    }
    if (line.startsWith(':')) {
      current.comment = line.slice(1).trimStart();
      continue;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'data') data.push(value);
    else if (field === 'event') current.name = value;
    else if (field === 'id') current.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) current.retry = `PT${Number(value) / 1000}S`;
  }
  flush();
  return events;
};

const asText = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

export const run: RunFunction<
  HttpProps & { concatJqExpression?: string; failedOnMissingJq?: boolean }
> = async (ctx, props) => {
  const res = await send(ctx, { ...props, headers: { accept: 'text/event-stream', ...props.headers } });
  const events = parseSse(res.body.toString('utf8'));
  ctx.metric('size', events.length);
  if (!props.concatJqExpression) return { outputs: { uri: props.uri, size: events.length, events } };
  const filter = props.concatJqExpression.replace(/^\s*\$(\.|\s*$)/, '.');
  await loadJq();
  const parts: string[] = [];
  for (const event of events) {
    let text: string | undefined;
    let error = '';
    try {
      text = asText(runJq(event, filter)[0]);
    } catch (err) {
      error = `: ${(err as Error).message}`;
    }
    if (text !== undefined) parts.push(text);
    else if (props.failedOnMissingJq !== false)
      throw new TaskError(
        `Failed to resolve jq expression '${props.concatJqExpression}' on event ${JSON.stringify(event)}${error}; ` +
          'set failedOnMissingJq: false to skip such events',
        { retryable: false },
      );
  }
  // As Kestra: `result` when jq extracted something, the raw `events` otherwise.
  if (parts.length === 0) return { outputs: { uri: props.uri, size: events.length, events } };
  return { outputs: { uri: props.uri, size: events.length, result: parts.join('') } };
};
