/**
 * Parts of the server beside the API and the engine, each with a start and a stop: the flows folder
 * watcher, the scheduler (schedules, polling and realtime triggers) and the retention purger. Started
 * in this order, stopped in the reverse order.
 */
import type { Logger } from 'pino';
import type { Embedded } from '../runtime/embedded.ts';
import { RetentionPurger } from '../runtime/retention.ts';
import { describeRetention, type RetentionConfig, retentionOn } from '../runtime/retention-rules.ts';
// The integrations' trigger types, registered with the scheduler (their client libraries load only when
// a flow uses them).
import '../scheduler/plugins.ts';
import { Scheduler } from '../scheduler/scheduler.ts';
import { startFlowsFolder } from './flows-folder.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ServerRole } from './server.ts';

export interface ServerPart {
  name: string;
  stop(): Promise<void>;
}

export interface PartsContext {
  engine: Embedded;
  roles: ReadonlySet<ServerRole>;
  flowsDir?: string;
  log: Logger;
  metrics: ServerMetrics;
  /** Retention rules (off when absent or empty) and the time between purge rounds. */
  retention?: { config: RetentionConfig; intervalMs?: number };
}

export const startParts = async (ctx: PartsContext): Promise<ServerPart[]> => {
  const parts: ServerPart[] = [];
  if (ctx.flowsDir)
    parts.push(await startFlowsFolder({ dir: ctx.flowsDir, store: ctx.engine.store, log: ctx.log }));
  if (ctx.roles.has('scheduler')) {
    const { engine } = ctx;
    const scheduler = new Scheduler({
      store: engine.store,
      flows: engine.flows,
      executor: engine.executor,
      storage: engine.storage,
      log: ctx.log.child({ part: 'scheduler' }),
      onStarted: (execution, dueAt) =>
        ctx.metrics.schedulerLag.observe(
          { namespace: execution.namespace, flow_id: execution.flowId },
          Math.max(0, Date.now() - dueAt) / 1000,
        ),
    });
    scheduler.start();
    parts.push({ name: 'scheduler', stop: () => scheduler.stop() });
    // The purger runs with the scheduler: one role that a deployment runs in few processes.
    if (ctx.retention && retentionOn(ctx.retention.config)) {
      const purger = new RetentionPurger({
        store: engine.store,
        deleteFiles: (ref) => engine.storage.deleteExecutionFiles(ref),
        config: ctx.retention.config,
        intervalMs: ctx.retention.intervalMs,
        log: ctx.log.child({ part: 'retention' }),
      });
      ctx.log.info(describeRetention(ctx.retention.config), 'retention on');
      purger.start();
      parts.push({ name: 'retention', stop: () => purger.stop() });
    }
  }
  return parts;
};
