/**
 * every-type rows of the AMQP and MQTT tasks, run against the real RabbitMQ (127.0.0.1:5672) and
 * Mosquitto (127.0.0.1:1883). Names are the row's namespace (unique per type and name); queues expire
 * a minute after their last use (x-expires) so that runs leave nothing behind.
 */
import { expectEq } from './every-type.expect.ts';
import type { TaskRow } from './every-type.table.ts';

type Props = Record<string, unknown>;
const A = 'io.kestra.plugin.amqp';
const M = 'io.kestra.plugin.mqtt';
export const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
export const MQTT_SERVER = 'tcp://127.0.0.1:1883';

/** Queues of test runs go away a minute after their last use. */
const EXPIRES = { 'x-expires': 60_000 };
const queue: Props = {
  id: 'q',
  type: `${A}.DeclareQueue`,
  url: AMQP_URL,
  name: '{{ flow.namespace }}.q',
  args: EXPIRES,
};
const publishProps: Props = {
  url: AMQP_URL,
  exchange: '',
  routingKey: '{{ flow.namespace }}.q',
  serdeType: 'JSON',
  from: [{ data: { n: 1 }, headers: { h: 'v' } }],
};
const publish: Props = { id: 'p', type: `${A}.Publish`, ...publishProps };

export const amqpMqttRows: Record<string, TaskRow> = {
  [`${A}.DeclareQueue`]: {
    props: { url: AMQP_URL, name: '{{ flow.namespace }}.q', args: EXPIRES },
    check: (e, o) => expectEq(o.queue, `${e.namespace}.q`, 'queue'),
  },
  [`${A}.DeclareExchange`]: {
    props: { url: AMQP_URL, name: '{{ flow.namespace }}.x', exchangeType: 'TOPIC', durability: false },
    check: (e, o) => expectEq(o.exchange, `${e.namespace}.x`, 'exchange'),
  },
  [`${A}.QueueBind`]: {
    before: [
      queue,
      {
        id: 'x',
        type: `${A}.DeclareExchange`,
        url: AMQP_URL,
        name: '{{ flow.namespace }}.x',
        durability: false,
      },
    ],
    props: {
      url: AMQP_URL,
      exchange: '{{ flow.namespace }}.x',
      queue: '{{ flow.namespace }}.q',
      routingKey: 'k',
    },
  },
  [`${A}.Publish`]: {
    before: [queue],
    props: publishProps,
    check: (_e, o) => expectEq(o.messagesCount, 1, 'messagesCount'),
  },
  [`${A}.Consume`]: {
    before: [queue, publish],
    props: {
      url: AMQP_URL,
      queue: '{{ flow.namespace }}.q',
      serdeType: 'JSON',
      maxRecords: 1,
      maxDuration: 'PT10S',
    },
    check: (_e, o) => expectEq(o.count, 1, 'count'),
  },
  [`${M}.Publish`]: {
    props: {
      server: MQTT_SERVER,
      clientId: '{{ execution.id }}',
      topic: '{{ flow.namespace }}/t',
      from: { v: 1 },
    },
    check: (_e, o) => expectEq(o.messagesCount, 1, 'messagesCount'),
  },
  [`${M}.Subscribe`]: {
    // A retained message reaches a subscriber that comes after it.
    before: [
      {
        id: 'p',
        type: `${M}.Publish`,
        server: MQTT_SERVER,
        topic: '{{ flow.namespace }}/r',
        retain: true,
        from: { v: 2 },
      },
    ],
    props: { server: MQTT_SERVER, topic: '{{ flow.namespace }}/r', maxRecords: 1, maxDuration: 'PT10S' },
    check: (_e, o) => expectEq(o.count, 1, 'count'),
  },
};
