/** nats.Produce: publishes `from` (a message, a list, or a file of JSON lines) to `subject`. */
import type { RunFunction } from '../context.ts';
import { readStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';
import { type NatsConnectionProps, pooledNats } from './client.ts';

interface Message {
  headers?: Record<string, unknown>;
  data?: unknown;
}

const messagesOf = async (ctx: Parameters<RunFunction>[0], from: unknown): Promise<Message[]> => {
  if (typeof from === 'string') {
    if (!from.startsWith('kestra://'))
      throw new TaskError('Produce: `from` must be a message, a list of messages or a kestra:/// URI', {
        retryable: false,
      });
    const text = (await readStorageFile(ctx, from)).toString('utf8');
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, i) => {
        try {
          return JSON.parse(line) as Message;
        } catch {
          throw new TaskError(`Produce: line ${i + 1} of ${from} is not a JSON message`, {
            retryable: false,
          });
        }
      });
  }
  if (Array.isArray(from)) return from as Message[];
  if (from && typeof from === 'object') return [from as Message];
  throw new TaskError('Produce: `from` must be a message, a list of messages or a kestra:/// URI', {
    retryable: false,
  });
};

export const run: RunFunction<NatsConnectionProps & { subject: string; from: unknown }> = async (ctx, p) => {
  const messages = await messagesOf(ctx, p.from);
  const { headers: makeHeaders } = await import('nats');
  const nc = await pooledNats(p);
  for (const m of messages) {
    const h = makeHeaders();
    for (const [k, v] of Object.entries(m.headers ?? {}))
      for (const value of Array.isArray(v) ? v : [v]) h.append(k, String(value));
    const data = typeof m.data === 'string' ? m.data : JSON.stringify(m.data ?? null);
    nc.publish(p.subject, data, m.headers ? { headers: h } : undefined);
  }
  // Published messages leave the client buffer only at flush: fail here, not silently later.
  await nc.flush();
  ctx.metric('records', messages.length, 'counter');
  return { outputs: { messagesCount: messages.length } };
};
