/** amqp.DeclareExchange: declares exchange `name` of `exchangeType`. Output: `exchange`. */
import type { RunFunction } from '../context.ts';
import type { AmqpConnectionProps } from './connection.ts';
import { withChannel } from './connection.ts';

interface Props extends AmqpConnectionProps {
  name: string;
  exchangeType?: 'DIRECT' | 'FANOUT' | 'TOPIC' | 'HEADERS';
  durability?: boolean;
  autoDelete?: boolean;
  internal?: boolean;
  args?: Record<string, unknown>;
}

export const run: RunFunction<Props> = async (ctx, props) => {
  const ok = await withChannel(props, (channel) =>
    channel.assertExchange(props.name, (props.exchangeType ?? 'DIRECT').toLowerCase(), {
      durable: props.durability ?? true,
      autoDelete: props.autoDelete ?? false,
      internal: props.internal ?? false,
      arguments: props.args,
    }),
  );
  ctx.logger.info(`exchange '${ok.exchange}' declared`);
  return { outputs: { exchange: ok.exchange } };
};
