/**
 * amqp.Consume: takes messages from `queue` until `maxRecords` or `maxDuration`, writes them to a file
 * of internal storage (Ion, one message per line) and acknowledges them only once that file is
 * written, so that a task that fails or is killed leaves them in the queue. Outputs `uri`, `count`.
 */

import { ionLines } from '../broker/records.ts';
import type { SerdeType } from '../broker/serde.ts';
import { consumeLimits } from '../broker/trigger-props.ts';
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';
import type { AmqpConnectionProps } from './connection.ts';
import { withChannel } from './connection.ts';
import { takeMessages } from './take.ts';

interface Props extends AmqpConnectionProps {
  queue: string;
  consumerTag?: string;
  maxRecords?: number;
  maxDuration?: string;
  serdeType?: SerdeType;
  autoAck?: boolean;
}

export const run: RunFunction<Props> = async (ctx, props) => {
  if (props.maxRecords === undefined && props.maxDuration === undefined)
    throw new TaskError('give maxRecords or maxDuration (or both): when to stop consuming', {
      retryable: false,
    });
  const limits = consumeLimits(props, Number.POSITIVE_INFINITY);
  const { uri, count } = await withChannel(props, async (channel) => {
    const taken = await takeMessages(
      channel,
      props.queue,
      props.serdeType ?? 'STRING',
      limits,
      ctx.signal,
      props.consumerTag,
    );
    try {
      const file = await saveStorageFile(ctx, 'messages.ion', ionLines(taken.messages));
      await taken.ack();
      return { uri: file, count: taken.messages.length };
    } catch (error) {
      await taken.nack();
      throw error;
    }
  });
  ctx.logger.info(`consumed ${count} message(s) from queue '${props.queue}'`);
  ctx.metric('records', count);
  return { outputs: { uri, count } };
};
