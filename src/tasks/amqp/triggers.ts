/**
 * The AMQP triggers, run by the scheduler (src/scheduler):
 * - Trigger (polling): each poll takes up to `maxRecords` messages during at most `maxDuration`, writes
 *   them to a file (`trigger.uri`, `trigger.count`) and starts one execution; the batch is acknowledged
 *   only after that execution is stored, and requeued when it was not.
 * - RealtimeTrigger: one execution per message (`trigger.data`, `trigger.headers`...), the message
 *   acknowledged only after its execution is stored; a failure requeues it and restarts the consumer.
 * A crash between the two leaves the message unacknowledged: the broker redelivers it (at least once).
 */
import type { Channel, ChannelModel } from 'amqplib';
import type {
  PollingTriggerType,
  RealtimeTriggerType,
  TriggerTypeContext,
} from '../../scheduler/registry.ts';
import { crashBeforeAckHook, renderTriggerProps, storeTriggerFile } from '../../scheduler/trigger-support.ts';
import type { SerdeType } from '../broker/serde.ts';
import { consumeLimits } from '../broker/trigger-props.ts';
import { type AmqpConnectionProps, connectAmqp } from './connection.ts';
import { fromDelivery } from './message.ts';
import { takeMessages } from './take.ts';

const AMQP = 'io.kestra.plugin.amqp';
/** A poll with neither maxRecords nor maxDuration stops after this long, so that a busy queue cannot hold it forever. */
const DEFAULT_POLL_MS = 10_000;
/** Messages the broker hands a realtime consumer ahead of their executions: few, so a crash redelivers few. */
const REALTIME_PREFETCH = 10;

interface Props extends AmqpConnectionProps {
  queue: string;
  consumerTag?: string;
  serdeType?: SerdeType;
  maxRecords?: number;
  maxDuration?: string;
}

const props = (ctx: TriggerTypeContext) => renderTriggerProps<Props>(ctx);

const quietly = async (connection: ChannelModel) => {
  await connection.close().catch(() => undefined);
};

export const amqpTrigger: PollingTriggerType = {
  kind: 'polling',
  type: `${AMQP}.Trigger`,
  async poll(ctx, signal) {
    const p = props(ctx);
    const connection = await connectAmqp(p);
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      const taken = await takeMessages(
        channel,
        p.queue,
        p.serdeType ?? 'STRING',
        consumeLimits(p, DEFAULT_POLL_MS),
        signal,
        p.consumerTag,
      );
      if (taken.messages.length === 0) {
        await taken.nack();
        await quietly(connection);
        return undefined;
      }
      const uri = await storeTriggerFile(ctx, taken.messages);
      return {
        event: { variables: { uri, count: taken.messages.length } },
        settle: async ({ stored }) => {
          if (stored) {
            crashBeforeAckHook(`${AMQP}.Trigger`);
            await taken.ack();
          } else await taken.nack();
          await quietly(connection);
        },
      };
    } catch (error) {
      await quietly(connection);
      throw error;
    }
  },
};

export const amqpRealtimeTrigger: RealtimeTriggerType = {
  kind: 'realtime',
  type: `${AMQP}.RealtimeTrigger`,
  async subscribe(ctx, emit, signal) {
    const p = props(ctx);
    const serde = p.serdeType ?? 'STRING';
    const connection = await connectAmqp(p);
    let channel: Channel | undefined;
    // One at a time, in order: each message is acknowledged after its own execution is stored.
    let chain = Promise.resolve();
    try {
      await new Promise<void>((resolve, reject) => {
        const stop = () => resolve();
        signal.addEventListener('abort', stop, { once: true });
        connection.on('error', (error: Error) => reject(error));
        connection.on('close', () => reject(new Error('the connection to the AMQP broker closed')));
        void (async () => {
          const ch = await connection.createChannel();
          channel = ch;
          ch.on('error', (error: Error) => reject(error));
          ch.on('close', () => reject(new Error('the AMQP channel closed')));
          await ch.prefetch(REALTIME_PREFETCH);
          await ch.consume(
            p.queue,
            (msg) => {
              if (msg === null) return reject(new Error(`the queue '${p.queue}' was deleted`));
              chain = chain.then(async () => {
                if (signal.aborted) return;
                let variables: Record<string, unknown>;
                try {
                  variables = { ...fromDelivery(msg, serde) };
                } catch (error) {
                  // Requeued, it would come back for ever: rejected (dead-lettered if the queue says so).
                  ctx.log.warn(
                    { trigger: ctx.trigger.id, err: (error as Error).message },
                    'AMQP message rejected',
                  );
                  ch.nack(msg, false, false);
                  return;
                }
                try {
                  await emit({ variables });
                } catch (error) {
                  ch.nack(msg, false, true);
                  reject(error);
                  return;
                }
                crashBeforeAckHook(`${AMQP}.RealtimeTrigger`);
                ch.ack(msg);
              });
            },
            {
              noAck: false,
              ...(p.consumerTag ? { consumerTag: `${p.consumerTag}-${crypto.randomUUID()}` } : {}),
            },
          );
        })().catch(reject);
      });
    } finally {
      // The message in hand is stored and acknowledged first; then the channel's close, behind the acks
      // on the same channel, makes sure the broker has them before the connection goes (see take.ts).
      await chain;
      await channel?.close().catch(() => undefined);
      await quietly(connection);
    }
  },
};
