/**
 * Connecting to an AMQP 0-9-1 broker (RabbitMQ) with amqplib, from Kestra's connection properties:
 * `url` (amqp://user:password@host:port/vhost), or `host`, `port`, `username`, `password`,
 * `virtualHost`. amqplib is loaded on first use. Errors name the broker without its password and
 * are retryable (a broker down or unreachable may be back at the next attempt).
 */
import type { Channel, ChannelModel } from 'amqplib';
import { connectionPool } from '../connection-pool.ts';
import { TaskError } from '../types.ts';

export interface AmqpConnectionProps {
  url?: string;
  host?: string;
  port?: string | number;
  username?: string;
  password?: string;
  virtualHost?: string;
}

/** Gives up connecting after this long: a broker that does not answer fails the task instead of hanging it. */
const CONNECT_TIMEOUT_MS = 10_000;

/** The URL to connect to (with credentials: never log it). */
export const amqpUrl = (p: AmqpConnectionProps): string => {
  if (p.url) return p.url;
  if (!p.host) throw new TaskError('give the broker: `url` or `host`', { retryable: false });
  const auth =
    p.username === undefined
      ? ''
      : `${encodeURIComponent(p.username)}:${encodeURIComponent(p.password ?? '')}@`;
  const vhost =
    p.virtualHost === undefined || p.virtualHost === '/'
      ? ''
      : `/${encodeURIComponent(p.virtualHost.replace(/^\//, ''))}`;
  return `amqp://${auth}${p.host}:${p.port ?? 5672}${vhost}`;
};

/** The URL with its password replaced, for messages. */
export const safeUrl = (url: string): string => url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');

export const connectAmqp = async (p: AmqpConnectionProps): Promise<ChannelModel> => {
  const url = amqpUrl(p);
  const amqp = await import('amqplib');
  try {
    return await amqp.connect(url, { timeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    throw new TaskError(
      `cannot connect to the AMQP broker ${safeUrl(url)}: ${safeUrl((error as Error).message)}. ` +
        'Check that RabbitMQ runs there, the host, port, virtual host and the credentials',
      { retryable: true, cause: error },
    );
  }
};

/** The tasks' connections, one per broker URL (with its credentials) in a worker process. */
export const amqpConnections = connectionPool<ChannelModel>(async (c) => {
  await c.close().catch(() => undefined);
});

const pooledConnection = (p: AmqpConnectionProps): Promise<ChannelModel> => {
  const url = amqpUrl(p);
  return amqpConnections.get(url, async () => {
    const connection = await connectAmqp(p);
    // A channel error (a queue that does not exist...) also emits 'error' on the connection: heard here,
    // it is reported by the operation that failed instead of crashing the process.
    connection.on('error', () => undefined);
    connection.on('close', () => amqpConnections.forget(url, connection));
    return connection;
  });
};

/**
 * Runs `work` on a fresh channel of the worker's connection to that broker, the channel closed
 * afterwards whatever happens (its close also proves that acks sent on it reached the broker).
 */
export const withChannel = async <T>(
  p: AmqpConnectionProps,
  work: (channel: Channel) => Promise<T>,
  opts: { confirm?: boolean } = {},
): Promise<T> => {
  const connection = await pooledConnection(p);
  let channel: Channel | undefined;
  try {
    channel = opts.confirm ? await connection.createConfirmChannel() : await connection.createChannel();
    channel.on('error', () => undefined);
    return await work(channel);
  } catch (error) {
    if (error instanceof TaskError) throw error;
    throw new TaskError(`AMQP: ${safeUrl((error as Error).message)}`, { retryable: false, cause: error });
  } finally {
    await channel?.close().catch(() => undefined);
  }
};
