/** AMQP 0-9-1 (RabbitMQ) tasks and triggers, with Kestra's `io.kestra.plugin.amqp` names and properties. */
import { Type } from '@sinclair/typebox';
import { DEnum, DString, Duration, dyn, JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const A = 'io.kestra.plugin.amqp';

const connection = {
  url: DString({
    description:
      'The broker, as amqp://user:password@host:5672/vhost (Kestra deprecated it for the properties below; ' +
      "both work). Put the password in a secret: `amqp://app:{{ secret('AMQP_PASSWORD') }}@host:5672`.",
  }),
  host: DString({ description: 'The broker host (when `url` is not given).' }),
  port: dyn(Type.Integer({ minimum: 1, maximum: 65535 }), { default: 5672, description: 'The broker port.' }),
  username: DString({ description: 'The broker user.' }),
  password: DString({ description: "The broker password; use `{{ secret('...') }}`." }),
  virtualHost: DString({ default: '/', description: 'The broker virtual host.' }),
};
const serdeType = DEnum(['STRING', 'JSON'], {
  default: 'STRING',
  description: 'How message bodies are read and written: STRING (text) or JSON.',
});
const queue = DString({ minLength: 1, description: 'The queue to take messages from.' });
const consumerTag = DString({
  default: 'Kestra',
  description: 'Prefix of the consumer tag shown by the broker.',
});
const maxRecords = dyn(Type.Integer({ minimum: 1 }), { description: 'Stop after this many messages.' });
const maxDuration = Duration({ description: 'Stop after this long (ISO-8601 duration).' });
const autoAck = dyn(Type.Boolean(), {
  default: false,
  description: 'Accepted for Kestra compatibility; messages are always acknowledged once stored.',
});
const args = JsonMap({ description: 'Extra arguments (x-arguments) of the declaration.' });
const common = { ...connection };

export const amqpPublish: TaskDefinition = {
  type: `${A}.Publish`,
  aliases: ['amqp.publish'],
  kind: 'runnable',
  title: 'Publish messages to an AMQP exchange.',
  description:
    'Publishes each message of `from` to `exchange` with `routingKey`, and succeeds once the broker ' +
    'confirmed them all. `from` is one message, a list, a JSON text or a `kestra://` file (one per ' +
    'line); a message is a map with `data` and optional `headers`, `contentType`, `messageId`, ' +
    '`correlationId`, `timestamp`... or a plain value (its data). Output: `messagesCount`.',
  example: `id: publish
type: io.kestra.plugin.amqp.Publish
url: amqp://guest:guest@localhost:5672
exchange: orders
routingKey: created
serdeType: JSON
from:
  - data: { orderId: 42 }
    headers: { source: shop }
`,
  properties: Props(
    {
      ...common,
      exchange: DString({ description: 'The exchange to publish to ("" is the default exchange).' }),
      routingKey: DString({ description: 'The routing key (with the default exchange: the queue name).' }),
      from: { ...Type.Unknown(), dynamic: true, description: 'The message(s), or a kestra:// file of them.' },
      headers: JsonMap({ dynamic: true, description: 'Headers added to every message.' }),
      serdeType,
    },
    { required: ['exchange', 'from'] },
  ),
};

export const amqpConsume: TaskDefinition = {
  type: `${A}.Consume`,
  aliases: ['amqp.consume'],
  kind: 'runnable',
  title: 'Consume messages from an AMQP queue.',
  description:
    'Takes messages from `queue` until `maxRecords` or `maxDuration` (give at least one), writes them to ' +
    'a file of internal storage (one message per line, Ion) and acknowledges them once the file is ' +
    'written. Outputs: `uri`, `count`.',
  example: `id: consume
type: io.kestra.plugin.amqp.Consume
url: amqp://guest:guest@localhost:5672
queue: orders
maxRecords: 100
maxDuration: PT10S
`,
  properties: Props(
    { ...common, queue, consumerTag, maxRecords, maxDuration, serdeType, autoAck },
    { required: ['queue'] },
  ),
};

export const amqpDeclareQueue: TaskDefinition = {
  type: `${A}.DeclareQueue`,
  aliases: ['amqp.declarequeue', `${A}.CreateQueue`],
  kind: 'runnable',
  title: 'Declare an AMQP queue.',
  description: 'Creates queue `name` unless it exists (then its properties must match). Output: `queue`.',
  example: `id: queue
type: io.kestra.plugin.amqp.DeclareQueue
url: amqp://guest:guest@localhost:5672
name: orders
`,
  properties: Props(
    {
      ...common,
      name: DString({ minLength: 1, description: 'The queue name.' }),
      durability: dyn(Type.Boolean(), { default: true, description: 'The queue survives a broker restart.' }),
      exclusive: dyn(Type.Boolean(), { default: false, description: 'Only this connection may use it.' }),
      autoDelete: dyn(Type.Boolean(), {
        default: false,
        description: 'Deleted when its last consumer leaves.',
      }),
      args,
    },
    { required: ['name'] },
  ),
};

export const amqpDeclareExchange: TaskDefinition = {
  type: `${A}.DeclareExchange`,
  aliases: ['amqp.declareexchange'],
  kind: 'runnable',
  title: 'Declare an AMQP exchange.',
  description: 'Creates exchange `name` of `exchangeType` unless it exists. Output: `exchange`.',
  example: `id: exchange
type: io.kestra.plugin.amqp.DeclareExchange
url: amqp://guest:guest@localhost:5672
name: orders
exchangeType: TOPIC
`,
  properties: Props(
    {
      ...common,
      name: DString({ minLength: 1, description: 'The exchange name.' }),
      exchangeType: DEnum(['DIRECT', 'FANOUT', 'TOPIC', 'HEADERS'], {
        default: 'DIRECT',
        description: 'Routing of the exchange.',
      }),
      durability: dyn(Type.Boolean(), {
        default: true,
        description: 'The exchange survives a broker restart.',
      }),
      autoDelete: dyn(Type.Boolean(), {
        default: false,
        description: 'Deleted when no queue is bound to it.',
      }),
      internal: dyn(Type.Boolean(), {
        default: false,
        description: 'Clients cannot publish to it directly.',
      }),
      args,
    },
    { required: ['name'] },
  ),
};

export const amqpQueueBind: TaskDefinition = {
  type: `${A}.QueueBind`,
  aliases: ['amqp.queuebind'],
  kind: 'runnable',
  title: 'Bind an AMQP queue to an exchange.',
  description: 'Routes the messages of `exchange` matching `routingKey` to `queue`.',
  example: `id: bind
type: io.kestra.plugin.amqp.QueueBind
url: amqp://guest:guest@localhost:5672
exchange: orders
queue: orders.created
routingKey: created
`,
  properties: Props(
    {
      ...common,
      exchange: DString({ minLength: 1, description: 'The exchange.' }),
      queue: DString({ minLength: 1, description: 'The queue.' }),
      routingKey: DString({ description: 'The binding key.' }),
      args,
    },
    { required: ['exchange', 'queue'] },
  ),
};

export const amqpTriggerDefinition: TaskDefinition = {
  type: `${A}.Trigger`,
  aliases: ['amqp.trigger'],
  kind: 'trigger',
  title: 'Start an execution for each batch of messages of an AMQP queue.',
  description:
    'Every `interval` (PT1M by default), takes up to `maxRecords` messages during at most `maxDuration` ' +
    'and starts one execution with them in a file: `{{ trigger.uri }}` (one message per line) and ' +
    '`{{ trigger.count }}`. The messages are acknowledged once the execution is stored (a crash before ' +
    'that redelivers them: at least once).',
  example: `id: orders
type: io.kestra.plugin.amqp.Trigger
url: amqp://guest:guest@localhost:5672
queue: orders
maxRecords: 100
interval: PT30S
`,
  properties: Props(
    {
      ...common,
      queue,
      consumerTag,
      maxRecords,
      maxDuration,
      serdeType,
      autoAck,
      interval: Duration({ default: 'PT1M', description: 'Time between two polls.' }),
    },
    { required: ['queue'] },
  ),
};

export const amqpRealtimeTriggerDefinition: TaskDefinition = {
  type: `${A}.RealtimeTrigger`,
  aliases: ['amqp.realtimetrigger'],
  kind: 'trigger',
  title: 'Start an execution for each message of an AMQP queue.',
  description:
    'Consumes `queue` continuously; each message starts one execution with the message as `trigger`: ' +
    '`{{ trigger.data }}`, `{{ trigger.headers }}`, `{{ trigger.messageId }}`... A message is acknowledged ' +
    'once its execution is stored; a crash before that redelivers it (at least once).',
  example: `id: order_event
type: io.kestra.plugin.amqp.RealtimeTrigger
url: amqp://guest:guest@localhost:5672
queue: orders
serdeType: JSON
`,
  properties: Props({ ...common, queue, consumerTag, serdeType, autoAck }, { required: ['queue'] }),
};

export const amqpDefinitions: TaskDefinition[] = [
  amqpPublish,
  amqpConsume,
  amqpDeclareQueue,
  amqpDeclareExchange,
  amqpQueueBind,
  amqpTriggerDefinition,
  amqpRealtimeTriggerDefinition,
];
