/**
 * The MQTT triggers, run by the scheduler. Both keep a persistent session on the broker (clean start
 * off, a fixed client id per trigger: its `clientId`, else one made of its namespace, flow and id) and
 * subscribe with QoS 1 by default, so that messages not yet acknowledged are redelivered on reconnect.
 * - Trigger (polling): each poll collects messages for at most `maxDuration` / `maxRecords` into a file
 *   (`trigger.uri`, `trigger.count`) and starts one execution; their PUBACKs are sent once it is stored.
 * - RealtimeTrigger: one execution per message (`trigger.topic`, `trigger.payload`, `trigger.qos`...);
 *   mqtt.js calls `handleMessage` and sends the PUBACK when it is told done, which is after the
 *   execution is stored (it reads the next message only then: one at a time, in order).
 * A crash before the acknowledgement redelivers the message: at least once.
 */
import type {
  PollingTriggerType,
  RealtimeTriggerType,
  TriggerTypeContext,
} from '../../scheduler/registry.ts';
import { crashBeforeAckHook, renderTriggerProps, storeTriggerFile } from '../../scheduler/trigger-support.ts';
import type { SerdeType } from '../broker/serde.ts';
import { consumeLimits } from '../broker/trigger-props.ts';
import { connectMqtt, endQuietly, type MqttConnectionProps, topicList } from './connection.ts';
import { type Collector, collectMessages, takeMessages, toMessage } from './take.ts';

const M = 'io.kestra.plugin.mqtt';
/** A poll with neither maxRecords nor maxDuration listens this long (persistent session: nothing is missed meanwhile). */
const DEFAULT_POLL_MS = 10_000;

interface Props extends MqttConnectionProps {
  topic: string | string[];
  qos?: 0 | 1 | 2;
  serdeType?: SerdeType;
  maxRecords?: number;
  maxDuration?: string;
}

/** MQTT client ids allow letters and digits everywhere; the rest is replaced. */
/** Logged once the broker confirmed the subscription: from then on the session keeps every message. */
const logSubscribed = (ctx: TriggerTypeContext) => () =>
  ctx.log.info(
    { trigger: `${ctx.flow.namespace}/${ctx.flow.id}/${ctx.trigger.id}` },
    'MQTT trigger subscribed',
  );

const props = (ctx: TriggerTypeContext): Props => {
  const p = renderTriggerProps<Props>(ctx);
  const own = `baton-${ctx.flow.namespace}-${ctx.flow.id}-${ctx.trigger.id}`.replace(/[^A-Za-z0-9_-]/g, '_');
  return { ...p, clientId: p.clientId || own };
};

export const mqttTrigger: PollingTriggerType = {
  kind: 'polling',
  type: `${M}.Trigger`,
  async poll(ctx, signal) {
    const p = props(ctx);
    const serde = p.serdeType ?? 'JSON';
    const limits = consumeLimits(p, DEFAULT_POLL_MS);
    let collector: Collector | undefined;
    const client = await connectMqtt(p, {
      persistent: true,
      onClient: (c) => {
        collector = collectMessages(c, serde, limits.maxRecords);
      },
    });
    try {
      const taken = await takeMessages(
        client,
        topicList(p.topic),
        p.qos ?? 1,
        serde,
        limits,
        signal,
        logSubscribed(ctx),
        collector,
      );
      if (taken.messages.length === 0) {
        await endQuietly(client);
        return undefined;
      }
      const uri = await storeTriggerFile(ctx, taken.messages);
      return {
        event: { variables: { uri, count: taken.messages.length } },
        settle: async ({ stored }) => {
          if (stored) {
            crashBeforeAckHook(`${M}.Trigger`);
            taken.ack();
          }
          // Not stored: the PUBACKs are never sent, the broker redelivers at the next connection.
          await endQuietly(client);
        },
      };
    } catch (error) {
      client.end(true);
      throw error;
    }
  },
};

export const mqttRealtimeTrigger: RealtimeTriggerType = {
  kind: 'realtime',
  type: `${M}.RealtimeTrigger`,
  async subscribe(ctx, emit, signal) {
    const p = props(ctx);
    const serde = p.serdeType ?? 'JSON';
    // A redelivered message can arrive (and fail) before the wait below starts: its error is kept.
    let early: Error | undefined;
    let fail: (error: Error) => void = (error) => {
      early ??= error;
    };
    const client = await connectMqtt(p, {
      persistent: true,
      handleMessage: (packet, done) => {
        let variables: Record<string, unknown>;
        try {
          variables = { ...toMessage(packet, serde) };
        } catch (error) {
          // Not acknowledged, it would come back for ever: acknowledged and logged instead.
          ctx.log.warn({ trigger: ctx.trigger.id, err: (error as Error).message }, 'MQTT message dropped');
          done();
          return;
        }
        emit({ variables }).then(
          () => {
            crashBeforeAckHook(`${M}.RealtimeTrigger`);
            done();
          },
          // No PUBACK: the consumer restarts and the broker redelivers the message.
          (error: Error) => fail(error),
        );
      },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        if (early) reject(early);
        fail = reject;
        signal.addEventListener('abort', () => resolve(), { once: true });
        client.on('close', () => reject(new Error('the connection to the MQTT broker closed')));
        client.subscribe(topicList(p.topic), { qos: p.qos ?? 1 }, (error) => {
          if (error) reject(error);
          else logSubscribed(ctx)();
        });
      });
    } finally {
      client.end(true);
    }
  },
};
