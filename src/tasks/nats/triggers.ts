/**
 * The NATS triggers for the scheduler. Both acknowledge a message only after the execution it fed is
 * stored (RealtimeTrigger: `emit` resolved; Trigger: `settle` with `stored`); a crash in between leaves it
 * unacknowledged, and JetStream redelivers it to the durable consumer after its ack wait or at restart.
 */
import type { JsMsg } from 'nats';
import { registerTriggerType } from '../../scheduler/registry.ts';
import {
  crashBeforeAckHook,
  namesOf,
  renderTriggerProps,
  storeTriggerFile,
} from '../../scheduler/trigger-support.ts';
import { fetchMessages, type NatsConsumerProps, natsConnect, openConsumer, toMessage } from './client.ts';
import { natsRealtimeTrigger, natsTrigger } from './index.ts';

const PROPS = [
  'url',
  'username',
  'password',
  'token',
  'creds',
  'subject',
  'durableId',
  'deliverPolicy',
].concat(['since', 'batchSize', 'pollDuration', 'maxRecords', 'maxDuration']);

for (const type of namesOf(natsTrigger)) {
  registerTriggerType({
    kind: 'polling',
    type,
    async poll(ctx, signal) {
      const p = renderTriggerProps<NatsConsumerProps>(ctx, PROPS);
      const nc = await natsConnect(p);
      let msgs: JsMsg[] = [];
      try {
        msgs = await fetchMessages(await openConsumer(nc, p), p, signal);
      } catch (error) {
        await nc.close();
        throw error;
      }
      if (msgs.length === 0) {
        await nc.close();
        return undefined;
      }
      const uri = await storeTriggerFile(ctx, msgs.map(toMessage));
      return {
        event: { variables: { uri, messagesCount: msgs.length } },
        async settle({ stored }) {
          try {
            if (stored) {
              crashBeforeAckHook(type);
              for (const m of msgs) await m.ackAck();
            } else for (const m of msgs) m.nak();
            await nc.flush();
          } finally {
            await nc.close();
          }
        },
      };
    },
  });
}

for (const type of namesOf(natsRealtimeTrigger)) {
  registerTriggerType({
    kind: 'realtime',
    type,
    async subscribe(ctx, emit, signal) {
      const p = renderTriggerProps<NatsConsumerProps>(ctx, PROPS);
      const nc = await natsConnect(p);
      const onAbort = () => void nc.close();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        const consumer = await openConsumer(nc, p);
        const messages = await consumer.consume({ max_messages: p.batchSize ?? 10 });
        signal.addEventListener('abort', () => void messages.close(), { once: true });
        // A connection lost ends the iteration: the scheduler starts the consumer again with backoff.
        void nc.closed().then(() => messages.close());
        for await (const m of messages) {
          await emit({ variables: { ...toMessage(m) } });
          crashBeforeAckHook(type);
          await m.ackAck();
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
        if (!nc.isClosed()) await nc.close();
      }
    },
  });
}
