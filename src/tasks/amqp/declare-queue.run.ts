/** amqp.DeclareQueue: declares `name` (created if absent; an existing one must match). Output: `queue`. */
import type { RunFunction } from '../context.ts';
import type { AmqpConnectionProps } from './connection.ts';
import { withChannel } from './connection.ts';

interface Props extends AmqpConnectionProps {
  name: string;
  durability?: boolean;
  exclusive?: boolean;
  autoDelete?: boolean;
  args?: Record<string, unknown>;
}

export const run: RunFunction<Props> = async (ctx, props) => {
  const ok = await withChannel(props, (channel) =>
    channel.assertQueue(props.name, {
      durable: props.durability ?? true,
      exclusive: props.exclusive ?? false,
      autoDelete: props.autoDelete ?? false,
      arguments: props.args,
    }),
  );
  ctx.logger.info(`queue '${ok.queue}' declared (${ok.messageCount} message(s) in it)`);
  return { outputs: { queue: ok.queue } };
};
