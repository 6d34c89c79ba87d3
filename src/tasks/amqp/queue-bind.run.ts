/** amqp.QueueBind: binds `queue` to `exchange` with `routingKey` (messages routed there reach it). */
import type { RunFunction } from '../context.ts';
import type { AmqpConnectionProps } from './connection.ts';
import { withChannel } from './connection.ts';

interface Props extends AmqpConnectionProps {
  exchange: string;
  queue: string;
  routingKey?: string;
  args?: Record<string, unknown>;
}

export const run: RunFunction<Props> = async (ctx, props) => {
  await withChannel(props, (channel) =>
    channel.bindQueue(props.queue, props.exchange, props.routingKey ?? '', props.args),
  );
  ctx.logger.info(`queue '${props.queue}' bound to exchange '${props.exchange}'`);
  return { outputs: {} };
};
