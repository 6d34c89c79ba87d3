/** Kestra's AMQP Message (its `data` and properties) to and from amqplib's publish options and messages. */
import type { ConsumeMessage, Options } from 'amqplib';
import { durationMs } from '../../util/duration.ts';
import { deserialize, type SerdeType, serialize } from '../broker/serde.ts';

export interface AmqpMessage {
  data?: unknown;
  headers?: Record<string, unknown>;
  contentType?: string;
  contentEncoding?: string;
  deliveryMode?: number;
  priority?: number;
  messageId?: string;
  correlationId?: string;
  replyTo?: string;
  expiration?: string;
  timestamp?: string;
  type?: string;
  userId?: string;
  appId?: string;
}

const PROPS = [
  'contentType',
  'contentEncoding',
  'deliveryMode',
  'priority',
  'messageId',
  'correlationId',
  'replyTo',
  'type',
  'userId',
  'appId',
] as const;

const isMessage = (v: unknown): v is AmqpMessage =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && 'data' in v;

/** One item of `from`: a Message (a map with `data`), else the value itself is the data. */
export const toPublish = (
  item: unknown,
  serde: SerdeType,
  headers: Record<string, unknown> | undefined,
): { body: Buffer; options: Options.Publish } => {
  const m: AmqpMessage = isMessage(item) ? item : { data: item };
  const options: Options.Publish = {};
  for (const p of PROPS) if (m[p] !== undefined) (options as Record<string, unknown>)[p] = m[p];
  const allHeaders = { ...headers, ...m.headers };
  if (Object.keys(allHeaders).length > 0) options.headers = allHeaders;
  if (m.timestamp !== undefined) options.timestamp = Math.floor(Date.parse(m.timestamp) / 1000);
  // Kestra's expiration is a duration; AMQP's is milliseconds as text.
  if (m.expiration !== undefined) options.expiration = String(durationMs(m.expiration) ?? m.expiration);
  if (options.contentType === undefined && serde === 'JSON') options.contentType = 'application/json';
  return { body: serialize(m.data, serde), options };
};

/** A received message as Kestra shows it (undefined properties left out). */
export const fromDelivery = (msg: ConsumeMessage, serde: SerdeType): AmqpMessage => {
  const p = msg.properties;
  const out: Record<string, unknown> = { data: deserialize(msg.content, serde) };
  if (p.headers && Object.keys(p.headers).length > 0) out.headers = p.headers;
  for (const name of PROPS) if (p[name] !== undefined && p[name] !== null) out[name] = p[name];
  if (typeof p.timestamp === 'number') out.timestamp = new Date(p.timestamp * 1000).toISOString();
  if (p.expiration !== undefined) out.expiration = p.expiration;
  return out as AmqpMessage;
};
