/**
 * amqp.Publish: publishes each message of `from` to `exchange` with `routingKey`, on a confirm channel
 * (the task succeeds once the broker has taken every message). Output: `messagesCount`.
 */
import type { ConfirmChannel } from 'amqplib';
import { readFrom } from '../broker/records.ts';
import type { SerdeType } from '../broker/serde.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';
import type { AmqpConnectionProps } from './connection.ts';
import { withChannel } from './connection.ts';
import { toPublish } from './message.ts';

interface Props extends AmqpConnectionProps {
  exchange: string;
  routingKey?: string;
  from: unknown;
  headers?: Record<string, unknown>;
  serdeType?: SerdeType;
}

export const run: RunFunction<Props> = async (ctx, props) => {
  const items = await readFrom(ctx, props.from);
  await withChannel(
    props,
    async (channel) => {
      const confirm = channel as ConfirmChannel;
      for (const item of items) {
        const { body, options } = toPublish(item, props.serdeType ?? 'STRING', props.headers);
        // Publishing to an exchange that does not exist closes the channel: that error is reported.
        confirm.publish(props.exchange, props.routingKey ?? '', body, { persistent: true, ...options });
      }
      try {
        await confirm.waitForConfirms();
      } catch (error) {
        throw new TaskError(`AMQP: the broker did not take the messages: ${(error as Error).message}`, {
          retryable: true,
          cause: error,
        });
      }
    },
    { confirm: true },
  );
  ctx.logger.info(`published ${items.length} message(s) to exchange '${props.exchange}'`);
  ctx.metric('records', items.length);
  return { outputs: { messagesCount: items.length } };
};
