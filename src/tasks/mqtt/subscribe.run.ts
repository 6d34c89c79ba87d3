/**
 * mqtt.Subscribe: collects the messages of `topic` until `maxRecords` or `maxDuration`, writes them to a
 * file of internal storage (Ion, one per line: topic, payload, qos, retain, id), then acknowledges them.
 * Outputs `uri`, `count`.
 */

import { ionLines } from '../broker/records.ts';
import type { SerdeType } from '../broker/serde.ts';
import { consumeLimits } from '../broker/trigger-props.ts';
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';
import { connectMqtt, endQuietly, type MqttConnectionProps, topicList } from './connection.ts';
import { takeMessages } from './take.ts';

interface Props extends MqttConnectionProps {
  topic: string | string[];
  qos?: 0 | 1 | 2;
  maxRecords?: number;
  maxDuration?: string;
  serdeType?: SerdeType;
}

export const run: RunFunction<Props> = async (ctx, props) => {
  if (props.maxRecords === undefined && props.maxDuration === undefined)
    throw new TaskError('give maxRecords or maxDuration (or both): when to stop subscribing', {
      retryable: false,
    });
  const client = await connectMqtt(props);
  try {
    const taken = await takeMessages(
      client,
      topicList(props.topic),
      props.qos ?? 1,
      props.serdeType ?? 'JSON',
      consumeLimits(props, Number.POSITIVE_INFINITY),
      ctx.signal,
    );
    const uri = await saveStorageFile(ctx, 'messages.ion', ionLines(taken.messages));
    taken.ack();
    ctx.logger.info(`received ${taken.messages.length} message(s)`);
    ctx.metric('records', taken.messages.length);
    return { outputs: { uri, count: taken.messages.length } };
  } finally {
    await endQuietly(client);
  }
};
