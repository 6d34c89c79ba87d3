/**
 * Taking a batch of messages from a queue without acknowledging them: the caller acknowledges the
 * whole batch once it has stored what it took (`ack`), or gives it back (`nack`, requeued).
 *
 * Both end by closing the channel and waiting for the broker's answer. amqplib writes each channel's
 * frames through its own stream and interleaves the streams, so an ack followed at once by closing the
 * connection could reach the broker after the connection's close: the broker then requeued a batch
 * whose execution was stored, and every later poll started another execution for it. The channel's
 * close travels behind the ack on the same channel, and its answer proves the ack was processed.
 */
import type { Channel, ConsumeMessage } from 'amqplib';
import type { SerdeType } from '../broker/serde.ts';
import { TaskError } from '../types.ts';
import { type AmqpMessage, fromDelivery } from './message.ts';

export interface Taken {
  messages: AmqpMessage[];
  /** Acknowledges the batch; resolves once the broker has processed it (the channel is closed). */
  ack(): Promise<void>;
  /** Gives the batch back (requeued); the channel is closed. */
  nack(): Promise<void>;
}

/** Unacknowledged messages the broker may push ahead of a batch whose size is unbounded. */
const UNBOUNDED_PREFETCH = 1_000;

export const takeMessages = async (
  channel: Channel,
  queue: string,
  serde: SerdeType,
  limits: { maxRecords: number; maxMs: number },
  signal: AbortSignal,
  consumerTag?: string,
): Promise<Taken> => {
  const deliveries: ConsumeMessage[] = [];
  const messages: AmqpMessage[] = [];
  await channel.prefetch(Number.isFinite(limits.maxRecords) ? limits.maxRecords : UNBOUNDED_PREFETCH);
  let failure: unknown;
  let tag = '';
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', finish);
      resolve();
    };
    const timer = Number.isFinite(limits.maxMs) ? setTimeout(finish, limits.maxMs) : undefined;
    signal.addEventListener('abort', finish, { once: true });
    channel.once('close', finish);
    channel
      .consume(
        queue,
        (msg) => {
          if (msg === null || done) return;
          deliveries.push(msg);
          try {
            messages.push(fromDelivery(msg, serde));
          } catch (error) {
            failure = error;
            finish();
            return;
          }
          if (messages.length >= limits.maxRecords) finish();
        },
        { noAck: false, ...(consumerTag ? { consumerTag: `${consumerTag}-${crypto.randomUUID()}` } : {}) },
      )
      .then((ok) => {
        tag = ok.consumerTag;
      })
      .catch((error: unknown) => {
        done = true;
        clearTimeout(timer);
        reject(
          new TaskError(`AMQP: cannot consume queue '${queue}': ${(error as Error).message}`, {
            retryable: true,
            cause: error,
          }),
        );
      });
  });
  if (tag) await channel.cancel(tag).catch(() => undefined);
  const last = deliveries.at(-1);
  const closeChannel = async () => {
    await channel.close().catch(() => undefined);
  };
  const nack = async () => {
    if (last) channel.nack(last, true, true);
    await closeChannel();
  };
  if (failure) {
    await nack();
    throw failure;
  }
  if (signal.aborted) {
    await nack();
    throw new TaskError('AMQP: consuming was stopped (the task was killed or timed out)', {
      retryable: false,
    });
  }
  return {
    messages,
    ack: async () => {
      if (last) channel.ack(last, true);
      await closeChannel();
    },
    nack,
  };
};
