/**
 * Redis connections and serde shared by the tasks and triggers. `ioredis` is imported on first use.
 * Values are kept as text: STRING as they are, JSON serialised (written) and parsed (read).
 */
import type { Redis } from 'ioredis';
import { connectionPool } from '../connection-pool.ts';
import { TaskError } from '../types.ts';

export type SerdeType = 'STRING' | 'JSON';

/** Give up connecting after this long: a server that does not answer fails the task (retryable). */
const CONNECT_TIMEOUT_MS = 10_000;

/** The URL without its password, for messages (`redis://:secret@host` → `redis://***@host`). */
export const redactUrl = (url: string): string => url.replace(/\/\/[^@/]*@/, '//***@');

export const redisConnect = async (url: string): Promise<Redis> => {
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // No silent retries: a lost server fails the task (retryable) or restarts the trigger with backoff.
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
  });
  // ioredis also reports connection errors as events: they are thrown by connect() or the command.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw new TaskError(
      `could not connect to Redis at ${redactUrl(url)}: ${(error as Error).message}. Check that the ` +
        'server runs and listens there, and the password in the URL (from a secret)',
      { retryable: true, cause: error },
    );
  }
  return client;
};

export const serialize = (value: unknown, serde: SerdeType = 'STRING'): string => {
  if (serde === 'JSON')
    return typeof value === 'string' ? JSON.stringify(JSON.parse(value)) : JSON.stringify(value);
  return typeof value === 'string' ? value : JSON.stringify(value);
};

export const deserialize = (text: string | null, serde: SerdeType = 'STRING'): unknown => {
  if (text === null) return null;
  if (serde !== 'JSON') return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TaskError(`value is not JSON (serdeType: JSON): ${(error as Error).message}`, {
      retryable: false,
    });
  }
};

/** The tasks' connections, one per URL (with its password) in a worker process. */
export const redisConnections = connectionPool<Redis>(async (r) => {
  r.disconnect();
});

/**
 * Runs `body` with the worker's connection to `url`. Commands of concurrent tasks are pipelined on it;
 * none of the tasks sends a blocking command (ListPop pops without waiting), which would hold it.
 */
export const withRedis = async <T>(url: string, body: (r: Redis) => Promise<T>): Promise<T> => {
  const r = await redisConnections.get(url, async () => {
    const client = await redisConnect(url);
    client.once('end', () => redisConnections.forget(url, client));
    return client;
  });
  return body(r);
};
