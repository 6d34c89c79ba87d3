/** nats.Consume: JetStream messages into a file of internal storage, acknowledged once it is written. */
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { fetchMessages, type NatsConsumerProps, openConsumer, pooledNats, toMessage } from './client.ts';

export const run: RunFunction<NatsConsumerProps> = async (ctx, p) => {
  const nc = await pooledNats(p);
  const consumer = await openConsumer(nc, p);
  const msgs = await fetchMessages(consumer, p, ctx.signal);
  const lines = msgs.map((m) => `${JSON.stringify(toMessage(m))}\n`).join('');
  const uri = await saveStorageFile(ctx, `${ctx.task.id}.ion`, lines);
  for (const m of msgs) await m.ackAck();
  ctx.metric('records', msgs.length, 'counter');
  return { outputs: { uri, messagesCount: msgs.length } };
};
