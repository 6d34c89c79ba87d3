/**
 * Following an execution on a server: its follow stream (`GET /executions/{id}/follow`, server-sent
 * events `start`, `progress`, `end` with the execution's JSON), opened again when it ends before what
 * the caller waits for (a restart the executor has not taken yet, a server restarting), and the next
 * attempt of a flow retry.
 */
import { type Execution, isTerminal } from '../../execution/types.ts';
import type { KestraExecution } from '../../server/kestra/execution-json.ts';
import { type ServerClient, ServerRequestError } from '../client.ts';
import { fromKestraExecution } from './kestra.ts';
import { readEvents } from './sse.ts';

/**
 * Pause before opening the stream again after it ended without what is waited for: the server ends it
 * at once for an ended execution, so without a pause a restart not yet taken by the executor would be
 * asked for in a tight loop.
 */
const REOPEN_MS = 250;
/**
 * How long the server may stay unreachable while an execution is followed (a restart of the server
 * takes about a second); past it the command stops with the connection error rather than hang.
 */
const UNREACHABLE_MS = 30_000;
/** How often a flow retry's next attempt is looked for (the server creates it after the retry interval). */
const NEXT_ATTEMPT_POLL_MS = 500;

export const executionPath = (id: string) => `/api/v1/executions/${encodeURIComponent(id)}`;

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    signal?.throwIfAborted();
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export interface FollowOptions {
  /** Every state the stream sends, in order. */
  onChange?: (execution: Execution) => void;
  /** What is waited for: the first execution sent that satisfies it is returned. */
  until: (execution: Execution) => boolean;
  signal?: AbortSignal;
}

/** Follows execution `id` until `until` holds; throws the signal's reason when it aborts. */
export const followExecution = async (
  client: ServerClient,
  id: string,
  opts: FollowOptions,
): Promise<Execution> => {
  const path = `${executionPath(id)}/follow`;
  let unreachableSince: number | undefined;
  for (;;) {
    const stop = new AbortController();
    const onAbort = () => stop.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await client.check(
        'GET',
        path,
        await client.fetch(path, { headers: { accept: 'text/event-stream' }, signal: stop.signal }),
      );
      unreachableSince = undefined;
      for await (const event of readEvents(response)) {
        if (event.name !== 'progress' && event.name !== 'end') continue;
        const execution = fromKestraExecution(JSON.parse(event.data) as KestraExecution);
        opts.onChange?.(execution);
        if (opts.until(execution)) return execution;
      }
    } catch (error) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      // Unreachable (0) or a stream cut midway (a fetch error while reading): tried again for a while.
      const cut = !(error instanceof ServerRequestError) || error.status === 0;
      if (!cut) throw error;
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > UNREACHABLE_MS) throw error;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      stop.abort();
    }
    await sleep(REOPEN_MS, opts.signal);
  }
};

/** The execution now, or undefined when the server does not know it (404). */
export const getExecution = async (client: ServerClient, id: string): Promise<Execution | undefined> => {
  try {
    return fromKestraExecution(await client.request<KestraExecution>('GET', executionPath(id)));
  } catch (error) {
    if (error instanceof ServerRequestError && error.status === 404) return undefined;
    throw error;
  }
};

/**
 * The execution a flow `retry` (CREATE_NEW_EXECUTION) creates after `retried` ended RETRIED: same
 * original execution, next attempt number (as runtime/wait.ts waitForNextAttempt, over the search API).
 */
export const nextAttempt = async (
  client: ServerClient,
  retried: Execution,
  signal?: AbortSignal,
): Promise<Execution> => {
  const root = retried.originalId ?? retried.id;
  for (;;) {
    const { results } = await client.request<{ results: KestraExecution[] }>(
      'GET',
      '/api/v1/executions/search',
      {
        query: {
          namespace: retried.namespace,
          flowId: retried.flowId,
          startDate: retried.state.startDate,
          size: 100,
        },
      },
    );
    const next = results.find(
      (e) =>
        e.id !== retried.id &&
        e.originalId === root &&
        e.metadata.attemptNumber === retried.attemptNumber + 1,
    );
    if (next) return fromKestraExecution(next);
    await sleep(NEXT_ATTEMPT_POLL_MS, signal);
  }
};

/** Final state reached and nothing runs any more (afterExecution tasks run after the end). */
export const settled = (e: Execution): boolean =>
  isTerminal(e.state.current) && e.taskRuns.every((t) => isTerminal(t.state.current));
