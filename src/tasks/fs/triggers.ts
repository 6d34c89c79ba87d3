/** The local file triggers for the scheduler (see ./poll.ts and ./realtime.ts). */
import { registerTriggerType } from '../../scheduler/registry.ts';
import { pollFolder } from './poll.ts';
import { watchFolder } from './realtime.ts';

const FS = 'io.kestra.plugin.fs.local';
/** Kestra's default interval of file triggers. */
const DEFAULT_INTERVAL_MS = 60_000;

registerTriggerType({
  kind: 'polling',
  type: `${FS}.Trigger`,
  defaultIntervalMs: DEFAULT_INTERVAL_MS,
  poll: (ctx) => pollFolder(ctx, `${FS}.Trigger`),
});

registerTriggerType({
  kind: 'realtime',
  type: `${FS}.RealtimeTrigger`,
  subscribe: (ctx, emit, signal) => watchFolder(ctx, emit, signal),
});
