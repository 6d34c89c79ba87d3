/**
 * The Redis list triggers for the scheduler (see ./list.ts for how nothing popped is lost): the polling
 * Trigger (one execution per batch, `trigger.uri` and `trigger.count`) and the RealtimeTrigger (one
 * execution per element, `trigger.value`), both popping from the list's head as Kestra's.
 */
import type { Redis } from 'ioredis';
import type { TriggerTypeContext } from '../../scheduler/registry.ts';
import { registerTriggerType } from '../../scheduler/registry.ts';
import {
  crashBeforeAckHook,
  namesOf,
  renderTriggerProps,
  storeTriggerFile,
} from '../../scheduler/trigger-support.ts';
import { deserialize, redisConnect, type SerdeType } from './client.ts';
import { redisListRealtimeTrigger, redisListTrigger } from './index.ts';
import { type PopLimits, popBatch, processingKey, restoreLeftovers } from './list.ts';

/** BLMOVE waits at most this long per call: the loop checks for a stop and the connection's health. */
const BLOCK_SECONDS = 5;

interface ListProps extends PopLimits {
  url: string;
  key: string;
  serdeType?: SerdeType;
}

const PROPS = ['url', 'key', 'serdeType', 'count', 'maxRecords', 'maxDuration'];

/**
 * An element that is not JSON under `serdeType: JSON` is handed over as its text (logged): failing on
 * it would put it back and fail again forever.
 */
const decode = (ctx: TriggerTypeContext, raw: string, serde: SerdeType | undefined): unknown => {
  try {
    return deserialize(raw, serde);
  } catch (error) {
    ctx.log.warn({ trigger: owner(ctx), err: (error as Error).message }, 'Redis element handed over as text');
    return raw;
  }
};

const owner = (ctx: TriggerTypeContext) => `${ctx.flow.namespace}.${ctx.flow.id}.${ctx.trigger.id}`;

const restore = async (ctx: TriggerTypeContext, r: Redis, key: string, processing: string) => {
  const moved = await restoreLeftovers(r, key, processing);
  if (moved > 0)
    ctx.log.warn(
      { trigger: owner(ctx), moved },
      'Redis elements taken by a run that stopped before its execution was stored are back in the list',
    );
};

for (const type of namesOf(redisListTrigger)) {
  registerTriggerType({
    kind: 'polling',
    type,
    async poll(ctx, signal) {
      const p = renderTriggerProps<ListProps>(ctx, PROPS);
      const processing = processingKey(p.key, owner(ctx));
      const r = await redisConnect(p.url);
      let raw: string[];
      try {
        // Polls of one trigger never overlap: what is in the processing list now was left by a crash.
        await restore(ctx, r, p.key, processing);
        raw = await popBatch(r, p.key, processing, p, signal);
      } catch (error) {
        r.disconnect();
        throw error;
      }
      if (raw.length === 0) {
        r.disconnect();
        return undefined;
      }
      const uri = await storeTriggerFile(
        ctx,
        raw.map((v) => decode(ctx, v, p.serdeType)),
      );
      return {
        event: { variables: { uri, count: raw.length } },
        async settle({ stored }) {
          try {
            if (stored) {
              crashBeforeAckHook(type);
              await r.del(processing);
            } else await restoreLeftovers(r, p.key, processing);
          } finally {
            r.disconnect();
          }
        },
      };
    },
  });
}

for (const type of namesOf(redisListRealtimeTrigger)) {
  registerTriggerType({
    kind: 'realtime',
    type,
    async subscribe(ctx, emit, signal) {
      const p = renderTriggerProps<ListProps>(ctx, PROPS);
      const processing = processingKey(p.key, owner(ctx));
      const r = await redisConnect(p.url);
      const onAbort = () => r.disconnect();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        await restore(ctx, r, p.key, processing);
        while (!signal.aborted) {
          const raw = await r.blmove(p.key, processing, 'LEFT', 'LEFT', BLOCK_SECONDS);
          if (raw === null) continue;
          await emit({ variables: { value: decode(ctx, raw, p.serdeType) } });
          crashBeforeAckHook(type);
          await r.lrem(processing, 1, raw);
        }
      } catch (error) {
        if (!signal.aborted) throw error;
      } finally {
        signal.removeEventListener('abort', onAbort);
        r.disconnect();
      }
    },
  });
}
