/**
 * NATS (`io.kestra.plugin.nats`): Produce (core publish), Consume from JetStream, the polling Trigger
 * and the RealtimeTrigger (one execution per message). Kestra 1.x moved the types under `.core.`:
 * both names are accepted. Run by `*.run.ts` and `./triggers.ts` with the `nats` client.
 */
import { Type } from '@sinclair/typebox';
import { DEnum, DString, Duration, dyn, JsonMap, Props, StaticDuration } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const NATS = 'io.kestra.plugin.nats';

const connection = {
  url: DString({
    minLength: 1,
    description:
      'Server to connect to, `nats://host:port` (e.g. `nats://127.0.0.1:4222`). Put credentials in ' +
      '`username`/`password`/`token` from `secret()`, not in the URL.',
  }),
  username: DString({ description: 'User name.' }),
  password: DString({ description: "Password; use `{{ secret('...') }}`." }),
  token: DString({ description: "Authentication token; use `{{ secret('...') }}`." }),
  creds: DString({ description: 'Content of a `.creds` file (JWT and NKey seed).' }),
};

const consumer = {
  subject: DString({
    minLength: 1,
    description: 'Subject to consume (wildcards allowed); a JetStream stream must capture it.',
  }),
  durableId: DString({
    description:
      'Durable consumer name: the server remembers what was acknowledged, so the next run continues from ' +
      'there. Without it, an ephemeral consumer reads from `deliverPolicy` each time.',
  }),
  deliverPolicy: DEnum(['All', 'Last', 'New', 'ByStartSequence', 'ByStartTime', 'LastPerSubject'], {
    default: 'All',
    description: 'Where a new consumer starts in the stream.',
  }),
  since: DString({
    description: 'With `ByStartTime`: an ISO-8601 date-time; with `ByStartSequence`: a sequence number.',
  }),
  batchSize: dyn(Type.Integer({ minimum: 1 }), { default: 10, description: 'Messages fetched per request.' }),
  pollDuration: Duration({
    default: 'PT2S',
    description: 'How long one fetch waits for messages; a fetch that gets none ends the consumption.',
  }),
};

const limits = {
  maxRecords: dyn(Type.Integer({ minimum: 1 }), { description: 'Stop after this many messages.' }),
  maxDuration: Duration({ description: 'Stop consuming after this duration.' }),
};

const messageVariables =
  'Each message is `{subject, headers, data, timestamp}` (headers: name → list of values, data: text).';

export const natsProduce: TaskDefinition = {
  type: `${NATS}.Produce`,
  aliases: [`${NATS}.core.Produce`, `${NATS}.Publish`, 'nats.produce'],
  kind: 'runnable',
  title: 'Publish messages to a NATS subject.',
  description:
    '`from` is one message `{headers, data}`, a list of them, or a `kestra:///` file with one JSON ' +
    'message per line. A JetStream stream capturing the subject stores them. Output: `messagesCount`.',
  example: `id: publish
type: io.kestra.plugin.nats.Produce
url: nats://127.0.0.1:4222
subject: orders.created
from:
  headers:
    source: baton
  data: '{"id": 1}'
`,
  properties: Props(
    {
      ...connection,
      subject: DString({ minLength: 1, description: 'Subject to publish to.' }),
      from: {
        ...Type.Unknown(),
        dynamic: true,
        description: 'A message `{headers, data}`, a list of messages, or a `kestra:///` URI of a file.',
      },
    },
    { required: ['url', 'subject', 'from'] },
  ),
};

export const natsConsume: TaskDefinition = {
  type: `${NATS}.Consume`,
  aliases: [`${NATS}.core.Consume`, 'nats.consume'],
  kind: 'runnable',
  title: 'Consume messages from a NATS JetStream subject into a file.',
  description:
    'Fetches messages by batches until a fetch gets none, `maxRecords` or `maxDuration`, writes them to ' +
    `internal storage (one JSON message per line) and acknowledges them. ${messageVariables} Outputs: ` +
    '`uri`, `messagesCount`.',
  example: `id: consume
type: io.kestra.plugin.nats.Consume
url: nats://127.0.0.1:4222
subject: orders.>
durableId: orders_reader
maxRecords: 100
`,
  properties: Props({ ...connection, ...consumer, ...limits }, { required: ['url', 'subject'] }),
};

export const natsTrigger: TaskDefinition = {
  type: `${NATS}.Trigger`,
  aliases: [`${NATS}.core.Trigger`, 'nats.trigger'],
  kind: 'trigger',
  title: 'Start an execution with the messages gathered from a NATS JetStream subject.',
  description:
    'Every `interval`, consumes as the Consume task does; when messages came, starts one execution with ' +
    '`{{ trigger.uri }}` (the file of messages) and `{{ trigger.messagesCount }}`. The messages are ' +
    'acknowledged only once that execution is stored: a crash in between redelivers them.',
  example: `id: orders
type: io.kestra.plugin.nats.Trigger
url: nats://127.0.0.1:4222
subject: orders.>
durableId: orders_trigger
interval: PT30S
maxRecords: 100
`,
  properties: Props(
    {
      ...connection,
      ...consumer,
      ...limits,
      interval: StaticDuration({ default: 'PT60S', description: 'Time between polls.' }),
    },
    { required: ['url', 'subject'] },
  ),
};

export const natsRealtimeTrigger: TaskDefinition = {
  type: `${NATS}.RealtimeTrigger`,
  aliases: [`${NATS}.core.RealtimeTrigger`, 'nats.realtimetrigger'],
  kind: 'trigger',
  title: 'Start one execution per message of a NATS JetStream subject.',
  description:
    `Starts an execution for each message as it comes. ${messageVariables} In the flow: ` +
    '`{{ trigger.subject }}`, `{{ trigger.data }}`, `{{ trigger.headers }}`, `{{ trigger.timestamp }}`. ' +
    'A message is acknowledged only once its execution is stored: a crash in between redelivers it.',
  example: `id: each_order
type: io.kestra.plugin.nats.RealtimeTrigger
url: nats://127.0.0.1:4222
subject: orders.>
durableId: orders_realtime
`,
  properties: Props(
    { ...connection, ...consumer, inputs: JsonMap({ dynamic: true, description: 'Execution inputs.' }) },
    { required: ['url', 'subject'] },
  ),
};

export const natsDefinitions: TaskDefinition[] = [natsProduce, natsConsume, natsTrigger, natsRealtimeTrigger];
