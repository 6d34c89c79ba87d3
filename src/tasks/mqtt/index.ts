/** MQTT tasks and triggers, with Kestra's `io.kestra.plugin.mqtt` names and properties. */
import { Type } from '@sinclair/typebox';
import { DEnum, DString, Duration, dyn, Props, StringOrList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const M = 'io.kestra.plugin.mqtt';

const connection = {
  server: DString({
    minLength: 1,
    description: 'The broker: tcp://host:1883, ssl://host:8883, ws://host/mqtt...',
  }),
  clientId: DString({
    description:
      'Client identifier, unique on the broker. Triggers keep a persistent session under it (by default ' +
      'one made of the namespace, flow and trigger ids).',
  }),
  username: DString({ description: 'User name.' }),
  password: DString({ description: "Password; use `{{ secret('...') }}`." }),
  mqttVersion: DEnum(['V3', 'V5'], {
    default: 'V5',
    description: 'Protocol: V5 (MQTT 5) or V3 (MQTT 3.1.1).',
  }),
  connectionTimeout: Duration({ description: 'How long to wait for the broker to accept the connection.' }),
  crt: DString({ description: 'CA certificate (PEM) for ssl:// servers.' }),
  authMethod: DString({
    description: 'Accepted for Kestra compatibility (MQTT 5 enhanced authentication is not supported).',
  }),
  httpsHostnameVerificationEnabled: dyn(Type.Boolean(), {
    description: 'Accepted for Kestra compatibility.',
  }),
};
const qos = dyn(Type.Integer({ minimum: 0, maximum: 2 }), {
  default: 1,
  description: 'Quality of service: 0 at most once, 1 at least once, 2 exactly once.',
});
const serdeType = DEnum(['STRING', 'JSON', 'BYTES'], {
  default: 'JSON',
  description: 'How payloads are read and written: JSON, STRING (text) or BYTES (base64 text).',
});
const topics = StringOrList({ description: 'Topic(s) to subscribe to (wildcards + and # allowed).' });
const maxRecords = dyn(Type.Integer({ minimum: 1 }), { description: 'Stop after this many messages.' });
const maxDuration = Duration({ description: 'Stop after this long (ISO-8601 duration).' });

export const mqttPublish: TaskDefinition = {
  type: `${M}.Publish`,
  aliases: ['mqtt.publish'],
  kind: 'runnable',
  title: 'Publish messages to an MQTT topic.',
  description:
    'Publishes `from` (one message, a list of messages, a JSON text or a `kestra://` file of them, one per ' +
    'line) to `topic`, each serialised with `serdeType`. Output: `messagesCount`.',
  example: `id: publish
type: io.kestra.plugin.mqtt.Publish
server: tcp://localhost:1883
clientId: baton-producer
topic: sensors/cpu
serdeType: JSON
from: { value: 1.23 }
`,
  properties: Props(
    {
      ...connection,
      topic: DString({ minLength: 1, description: 'The topic to publish to.' }),
      from: { ...Type.Unknown(), dynamic: true, description: 'The message(s), or a kestra:// file of them.' },
      qos,
      retain: dyn(Type.Boolean(), {
        default: false,
        description: 'The broker keeps the last message for new subscribers.',
      }),
      serdeType,
    },
    { required: ['server', 'topic', 'from'] },
  ),
};

export const mqttSubscribe: TaskDefinition = {
  type: `${M}.Subscribe`,
  aliases: ['mqtt.subscribe'],
  kind: 'runnable',
  title: 'Receive messages from MQTT topics.',
  description:
    'Subscribes to `topic` until `maxRecords` or `maxDuration` (give at least one), writes the messages ' +
    '(topic, payload, qos, retain, id) to a file of internal storage and acknowledges them once written. ' +
    'Outputs: `uri`, `count`.',
  example: `id: subscribe
type: io.kestra.plugin.mqtt.Subscribe
server: tcp://localhost:1883
topic: sensors/#
maxRecords: 10
maxDuration: PT10S
`,
  properties: Props(
    { ...connection, topic: topics, qos, maxRecords, maxDuration, serdeType },
    { required: ['server', 'topic'] },
  ),
};

export const mqttTriggerDefinition: TaskDefinition = {
  type: `${M}.Trigger`,
  aliases: ['mqtt.trigger'],
  kind: 'trigger',
  title: 'Start an execution for each batch of MQTT messages.',
  description:
    'Every `interval` (PT1M by default), collects messages of `topic` for at most `maxDuration` / ' +
    '`maxRecords` and starts one execution with them in a file: `{{ trigger.uri }}`, `{{ trigger.count }}`. ' +
    'A persistent session keeps what arrives between polls; the messages are acknowledged once the ' +
    'execution is stored (at least once).',
  example: `id: readings
type: io.kestra.plugin.mqtt.Trigger
server: tcp://localhost:1883
topic: sensors/#
maxRecords: 10
maxDuration: PT5S
interval: PT30S
`,
  properties: Props(
    {
      ...connection,
      topic: topics,
      qos,
      maxRecords,
      maxDuration,
      serdeType,
      interval: Duration({ default: 'PT1M', description: 'Time between two polls.' }),
    },
    { required: ['server', 'topic'] },
  ),
};

export const mqttRealtimeTriggerDefinition: TaskDefinition = {
  type: `${M}.RealtimeTrigger`,
  aliases: ['mqtt.realtimetrigger'],
  kind: 'trigger',
  title: 'Start an execution for each MQTT message.',
  description:
    'Subscribes to `topic` continuously; each message starts one execution with `{{ trigger.topic }}`, ' +
    '`{{ trigger.payload }}`, `{{ trigger.qos }}`, `{{ trigger.retain }}`. A persistent session and QoS 1 ' +
    'mean a message is acknowledged once its execution is stored, and redelivered after a crash (at least once).',
  example: `id: alarm
type: io.kestra.plugin.mqtt.RealtimeTrigger
server: tcp://localhost:1883
topic: sensors/+/temperature
serdeType: JSON
`,
  properties: Props({ ...connection, topic: topics, qos, serdeType }, { required: ['server', 'topic'] }),
};

export const mqttDefinitions: TaskDefinition[] = [
  mqttPublish,
  mqttSubscribe,
  mqttTriggerDefinition,
  mqttRealtimeTriggerDefinition,
];
