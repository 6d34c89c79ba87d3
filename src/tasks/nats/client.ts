/**
 * NATS connections and JetStream consumers shared by the tasks and the triggers. The `nats` package is
 * imported on first use only: a flow without NATS never loads it.
 */
import type { ConsumerConfig, JsMsg, NatsConnection } from 'nats';
import { durationMs } from '../../util/duration.ts';
import { connectionPool } from '../connection-pool.ts';
import { TaskError } from '../types.ts';

export interface NatsConnectionProps {
  url: string;
  username?: string;
  password?: string;
  token?: string;
  creds?: string;
}

export interface NatsConsumerProps extends NatsConnectionProps {
  subject: string;
  durableId?: string;
  deliverPolicy?: string;
  since?: string;
  batchSize?: number;
  pollDuration?: string;
  maxRecords?: number;
  maxDuration?: string;
}

/** A message as Kestra hands it to flows (and writes it to files). */
export interface NatsMessage {
  subject: string;
  headers: Record<string, string[]>;
  data: string;
  timestamp: string;
}

/** Give up connecting after this long: a server that does not answer fails the task (retryable). */
const CONNECT_TIMEOUT_MS = 10_000;
/** Ephemeral consumers the server forgets once idle this long (a crashed run leaves none behind). */
const EPHEMERAL_INACTIVE_NS = 60_000_000_000;
/** nats.js refuses fetch expiries under one second. */
const MIN_FETCH_MS = 1_000;

/** The URL without any user:password part, for messages. */
export const redactUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');

export const natsConnect = async (p: NatsConnectionProps): Promise<NatsConnection> => {
  const nats = await import('nats');
  try {
    return await nats.connect({
      servers: p.url,
      user: p.username,
      pass: p.password,
      token: p.token,
      authenticator: p.creds ? nats.credsAuthenticator(new TextEncoder().encode(p.creds)) : undefined,
      name: 'baton',
      timeout: CONNECT_TIMEOUT_MS,
      // A lost connection ends the task or the trigger's consumer, which is retried with backoff there.
      reconnect: false,
    });
  } catch (error) {
    throw new TaskError(
      `could not connect to NATS at ${redactUrl(p.url)}: ${(error as Error).message}. Check that the ` +
        'server runs and listens there, and the username/password/token/creds',
      { retryable: true, cause: error },
    );
  }
};

/** The tasks' connections, one per server and credentials in a worker process. */
export const natsConnections = connectionPool<NatsConnection>(async (nc) => {
  await nc.close().catch(() => undefined);
});

/** The worker's connection to that server (a lost one is forgotten: the next task opens a new one). */
export const pooledNats = (p: NatsConnectionProps): Promise<NatsConnection> => {
  const key = JSON.stringify([p.url, p.username, p.password, p.token, p.creds]);
  return natsConnections.get(key, async () => {
    const nc = await natsConnect(p);
    void nc.closed().then(() => natsConnections.forget(key, nc));
    return nc;
  });
};

const POLICIES: Record<string, string> = {
  All: 'all',
  Last: 'last',
  New: 'new',
  ByStartSequence: 'by_start_sequence',
  ByStartTime: 'by_start_time',
  LastPerSubject: 'last_per_subject',
};

/** The pull consumer of `subject`: the durable one (created the first time) or a new ephemeral one. */
export const openConsumer = async (nc: NatsConnection, p: NatsConsumerProps) => {
  const jsm = await nc.jetstreamManager();
  let stream: string;
  try {
    stream = await jsm.streams.find(p.subject);
  } catch (error) {
    throw new TaskError(
      `no JetStream stream captures the subject '${p.subject}': create one (e.g. \`nats stream add\`) ` +
        `whose subjects include it (${(error as Error).message})`,
      { retryable: false, cause: error },
    );
  }
  const policy = POLICIES[p.deliverPolicy ?? 'All'] ?? 'all';
  const config: Partial<ConsumerConfig> = {
    ack_policy: 'explicit' as ConsumerConfig['ack_policy'],
    deliver_policy: policy as ConsumerConfig['deliver_policy'],
    filter_subject: p.subject,
  };
  if (policy === 'by_start_time') config.opt_start_time = new Date(String(p.since)).toISOString();
  if (policy === 'by_start_sequence') config.opt_start_seq = Number(p.since);
  let name: string;
  if (p.durableId) {
    name = p.durableId;
    const existing = await jsm.consumers.info(stream, name).catch(() => undefined);
    if (!existing) await jsm.consumers.add(stream, { ...config, durable_name: name });
  } else {
    name = (await jsm.consumers.add(stream, { ...config, inactive_threshold: EPHEMERAL_INACTIVE_NS })).name;
  }
  return nc.jetstream().consumers.get(stream, name);
};

export const toMessage = (m: JsMsg): NatsMessage => {
  const headers: Record<string, string[]> = {};
  if (m.headers) for (const key of m.headers.keys()) headers[key] = m.headers.values(key);
  return {
    subject: m.subject,
    headers,
    data: m.string(),
    timestamp: new Date(Math.floor(m.info.timestampNanos / 1_000_000)).toISOString(),
  };
};

/**
 * Fetches by batches until a fetch gets nothing, `maxRecords` messages or `maxDuration` passed. The
 * messages are returned unacknowledged: the caller acknowledges them once what they fed is safe.
 */
export const fetchMessages = async (
  consumer: Awaited<ReturnType<typeof openConsumer>>,
  p: NatsConsumerProps,
  signal?: AbortSignal,
): Promise<JsMsg[]> => {
  const batch = p.batchSize ?? 10;
  const poll = Math.max(MIN_FETCH_MS, durationMs(p.pollDuration ?? 'PT2S') ?? 2_000);
  const maxMs = p.maxDuration ? durationMs(p.maxDuration) : undefined;
  const started = Date.now();
  const out: JsMsg[] = [];
  const seen = new Set<number>();
  while (!signal?.aborted) {
    const want = p.maxRecords ? Math.min(batch, p.maxRecords - out.length) : batch;
    const fetched = await consumer.fetch({ max_messages: want, expires: poll });
    let got = 0;
    for await (const m of fetched) {
      got++;
      // Redelivered while we gathered (its ack wait ran out): held once only.
      if (seen.has(m.seq)) continue;
      seen.add(m.seq);
      out.push(m);
    }
    // What is held is still being worked on: its ack wait starts again, so it is not redelivered meanwhile.
    for (const m of out) m.working();
    if (got === 0) break;
    if (p.maxRecords && out.length >= p.maxRecords) break;
    if (maxMs !== undefined && Date.now() - started >= maxMs) break;
  }
  return out;
};
