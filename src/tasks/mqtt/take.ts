/**
 * Taking a batch of MQTT messages whose acknowledgements (PUBACK) are held until the caller has stored
 * them. mqtt.js handles incoming packets one at a time and acknowledges a message before it reads the
 * next one, so a batch cannot be held through its public `handleMessage` alone (the first held message
 * would stop the others). The client's packet writer is wrapped instead: PUBACKs are queued, the reading
 * goes on, and they are sent by `ack()`. If the process dies first, they are never sent and the broker
 * redelivers the messages to the persistent session. (Realtime triggers hold one message at a time
 * through `handleMessage`, see triggers.ts.) The broker sends at most its in-flight limit of
 * unacknowledged messages (Mosquitto: 20 by default), which bounds a batch.
 */
import type { IPublishPacket, MqttClient } from 'mqtt';
import { deserialize, type SerdeType } from '../broker/serde.ts';
import { TaskError } from '../types.ts';

export interface MqttMessage {
  topic: string;
  payload: unknown;
  qos: number;
  retain: boolean;
  id?: number;
}

export const toMessage = (packet: IPublishPacket, serde: SerdeType): MqttMessage => ({
  topic: packet.topic,
  payload: deserialize(Buffer.from(packet.payload), serde),
  qos: packet.qos,
  retain: packet.retain,
  ...(packet.messageId === undefined ? {} : { id: packet.messageId }),
});

type SendPacket = (packet: { cmd: string }, cb?: () => void, ...rest: unknown[]) => void;

/**
 * Queues the PUBACKs of the messages `collect`ed until `release()`; those of messages not collected
 * (arrived past the batch's end) are never sent: the broker redelivers them to the next poll.
 */
export const holdAcks = (client: MqttClient): { collect(id: number | undefined): void; release(): void } => {
  const target = client as unknown as { _sendPacket?: SendPacket };
  const original = target._sendPacket;
  if (typeof original !== 'function')
    throw new Error('mqtt.js changed: its packet writer cannot be wrapped to hold acknowledgements');
  const collected = new Set<number>();
  const held: (() => void)[] = [];
  let released = false;
  target._sendPacket = (packet, cb, ...rest) => {
    if (packet.cmd !== 'puback') return original.call(client, packet, cb, ...rest);
    const id = (packet as { messageId?: number }).messageId;
    const send = () => original.call(client, packet, undefined, ...rest);
    if (id !== undefined && collected.has(id)) {
      if (released) send();
      else held.push(send);
    }
    // Called at once either way: it lets mqtt.js read the next packet.
    cb?.();
  };
  return {
    collect(id) {
      if (id !== undefined) collected.add(id);
    },
    release() {
      released = true;
      for (const send of held.splice(0)) send();
    },
  };
};

/**
 * Messages collected from the moment it is created, their acknowledgements held. A persistent session
 * redelivers unacknowledged messages right after the CONNACK, before any subscription: a collector
 * started before the connection completes (connectMqtt's `onClient`) catches them, where a listener
 * added later would miss them while mqtt.js acknowledged them (lost after a crash-and-restart).
 */
export interface Collector {
  messages: MqttMessage[];
  failure?: unknown;
  /** Called after each message (and on a failure). */
  onChange?: () => void;
  stop(): void;
  ack(): void;
}

export const collectMessages = (client: MqttClient, serde: SerdeType, maxRecords: number): Collector => {
  const hold = holdAcks(client);
  const collector: Collector = {
    messages: [],
    stop: () => client.removeListener('message', onMessage),
    ack: () => hold.release(),
  };
  const onMessage = (_topic: string, _payload: Buffer, packet: IPublishPacket) => {
    if (collector.messages.length >= maxRecords || collector.failure) return;
    try {
      collector.messages.push(toMessage(packet, serde));
      hold.collect(packet.messageId);
    } catch (error) {
      collector.failure = error;
    }
    collector.onChange?.();
  };
  client.on('message', onMessage);
  return collector;
};

/** Subscribes `client` to `topics` and collects messages until the limits; acknowledgements held. */
export const takeMessages = async (
  client: MqttClient,
  topics: string[],
  qos: 0 | 1 | 2,
  serde: SerdeType,
  limits: { maxRecords: number; maxMs: number },
  signal: AbortSignal,
  onSubscribed?: () => void,
  started?: Collector,
): Promise<{ messages: MqttMessage[]; ack(): void }> => {
  const collector = started ?? collectMessages(client, serde, limits.maxRecords);
  await new Promise<void>((resolve, reject) => {
    const finish = () => {
      clearTimeout(timer);
      collector.stop();
      resolve();
    };
    const timer = Number.isFinite(limits.maxMs) ? setTimeout(finish, limits.maxMs) : undefined;
    signal.addEventListener('abort', finish, { once: true });
    client.once('close', finish);
    collector.onChange = () => {
      if (collector.failure || collector.messages.length >= limits.maxRecords) finish();
    };
    // Redelivered before this point: the batch may be complete already.
    collector.onChange();
    client.subscribe(topics, { qos }, (error) => {
      if (!error) onSubscribed?.();
      else {
        clearTimeout(timer);
        reject(
          new TaskError(`MQTT: cannot subscribe to ${topics.join(', ')}: ${error.message}`, {
            retryable: true,
          }),
        );
      }
    });
  });
  if (collector.failure) throw collector.failure;
  if (signal.aborted)
    throw new TaskError('MQTT: subscribing was stopped (killed or timed out)', { retryable: false });
  return { messages: collector.messages, ack: () => collector.ack() };
};
