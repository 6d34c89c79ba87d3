/** mqtt.Publish: publishes each message of `from` to `topic` (QoS, retain); output `messagesCount`. */

import { readFrom } from '../broker/records.ts';
import { type SerdeType, serialize } from '../broker/serde.ts';
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';
import { connectMqtt, endQuietly, type MqttConnectionProps } from './connection.ts';

interface Props extends MqttConnectionProps {
  topic: string;
  from: unknown;
  qos?: 0 | 1 | 2;
  retain?: boolean;
  serdeType?: SerdeType;
}

export const run: RunFunction<Props> = async (ctx, props) => {
  const items = await readFrom(ctx, props.from);
  const client = await connectMqtt(props);
  try {
    for (const item of items) {
      // With QoS 1 or 2 this resolves once the broker acknowledged the message.
      await client
        .publishAsync(props.topic, serialize(item, props.serdeType ?? 'JSON'), {
          qos: props.qos ?? 1,
          retain: props.retain ?? false,
        })
        .catch((error: Error) => {
          throw new TaskError(`MQTT: cannot publish to '${props.topic}': ${error.message}`, {
            retryable: true,
            cause: error,
          });
        });
    }
  } finally {
    await endQuietly(client);
  }
  ctx.logger.info(`published ${items.length} message(s) to topic '${props.topic}'`);
  ctx.metric('records', items.length);
  return { outputs: { messagesCount: items.length } };
};
