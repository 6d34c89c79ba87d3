/**
 * Connecting to an MQTT broker with mqtt.js (loaded on first use), from Kestra's properties: `server`
 * (tcp://host:1883, ssl://host:8883, ws://...), `clientId`, `username`, `password`, `mqttVersion`
 * (V5 by default, or V3 for 3.1.1), `connectionTimeout`, `crt` (a CA certificate, PEM). Errors name the
 * server (never the password) and are retryable. The client never reconnects by itself: a task fails
 * and a trigger is restarted by the scheduler with its backoff.
 */
import type { IClientOptions, IPublishPacket, MqttClient } from 'mqtt';
import { durationMs } from '../../util/duration.ts';
import { TaskError } from '../types.ts';

export interface MqttConnectionProps {
  server: string;
  clientId?: string;
  username?: string;
  password?: string;
  mqttVersion?: 'V3' | 'V5';
  connectionTimeout?: string;
  crt?: string;
}

/** Kestra's default connection timeout: a broker that does not answer fails instead of hanging. */
const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;
/**
 * How long the broker keeps a trigger's persistent session (its subscriptions and the QoS 1 messages
 * not yet acknowledged) while no consumer is connected (MQTT 5; 3.1.1 sessions last as the broker
 * decides): a server stopped for up to a week loses nothing.
 */
const SESSION_EXPIRY_S = 7 * 24 * 3600;

/** tcp:// and ssl:// (Kestra's, from Paho) as mqtt.js names them. */
export const brokerUrl = (server: string): string =>
  server.replace(/^tcp:\/\//i, 'mqtt://').replace(/^ssl:\/\//i, 'mqtts://');

export interface ConnectOptions {
  /** Keep the session (subscriptions, unacknowledged messages) across connections. */
  persistent?: boolean;
  /** Called for each received QoS 1/2 message; the broker is acknowledged when `done` is called. */
  handleMessage?: (packet: IPublishPacket, done: (error?: Error) => void) => void;
  /** Called with the client before it connects: to listen for what a persistent session redelivers at once. */
  onClient?: (client: MqttClient) => void;
}

export const connectMqtt = async (p: MqttConnectionProps, opts: ConnectOptions = {}): Promise<MqttClient> => {
  const { default: mqtt } = await import('mqtt');
  const url = brokerUrl(p.server);
  const v5 = (p.mqttVersion ?? 'V5') === 'V5';
  const options: IClientOptions = {
    clientId: p.clientId,
    username: p.username,
    password: p.password,
    protocolVersion: v5 ? 5 : 4,
    clean: !opts.persistent,
    reconnectPeriod: 0,
    connectTimeout: durationMs(p.connectionTimeout ?? '') ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...(p.crt ? { ca: p.crt } : {}),
    ...(v5 && opts.persistent ? { properties: { sessionExpiryInterval: SESSION_EXPIRY_S } } : {}),
  };
  const client = mqtt.connect(url, options);
  // Set before the first packet: a persistent session redelivers right after connecting.
  if (opts.handleMessage) client.handleMessage = opts.handleMessage;
  opts.onClient?.(client);
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new Error('connection closed')));
    });
  } catch (error) {
    client.end(true);
    throw new TaskError(
      `cannot connect to the MQTT broker ${p.server}: ${(error as Error).message}. ` +
        'Check that the broker runs there, the server URL, mqttVersion and the credentials',
      { retryable: true, cause: error },
    );
  }
  client.on('error', () => undefined);
  return client;
};

export const endQuietly = (client: MqttClient): Promise<void> =>
  new Promise((resolve) => client.end(false, {}, () => resolve()));

/** Topics of `topic`: one, or a list. */
export const topicList = (topic: unknown): string[] =>
  (Array.isArray(topic) ? topic : [topic]).map(String).filter((t) => t !== '');
