/**
 * Connecting to an AMQP 0-9-1 broker (RabbitMQ) with amqplib, from Kestra's connection properties:
 * `url` (amqp://user:password@host:port/vhost), or `host`, `port`, `username`, `password`,
 * `virtualHost`. amqplib is loaded on first use. Errors name the broker without its password and
 * are retryable (a broker down or unreachable may be back at the next attempt).
 */
import type { Channel, ChannelModel } from 'amqplib';
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

/** Runs `work` on a fresh channel of a fresh connection, closed afterwards whatever happens. */
export const withChannel = async <T>(
  p: AmqpConnectionProps,
  work: (channel: Channel, connection: ChannelModel) => Promise<T>,
  opts: { confirm?: boolean } = {},
): Promise<T> => {
  const connection = await connectAmqp(p);
  // A channel error (a queue that does not exist...) also emits 'error' on the connection: heard here,
  // it is reported by the operation that failed instead of crashing the process.
  connection.on('error', () => undefined);
  try {
    const channel = opts.confirm ? await connection.createConfirmChannel() : await connection.createChannel();
    channel.on('error', () => undefined);
    return await work(channel, connection);
  } catch (error) {
    if (error instanceof TaskError) throw error;
    throw new TaskError(`AMQP: ${safeUrl((error as Error).message)}`, { retryable: false, cause: error });
  } finally {
    await connection.close().catch(() => undefined);
  }
};
