/** The local file triggers for the scheduler (see ./poll.ts and ./realtime.ts). */
import { registerTriggerType } from '../../scheduler/registry.ts';
import { namesOf } from '../../scheduler/trigger-support.ts';
import type { TaskDefinition } from '../types.ts';
import { fsDefinitions } from './index.ts';
import { pollFolder } from './poll.ts';
import { watchFolder } from './realtime.ts';

const FS = 'io.kestra.plugin.fs.local';
/** Kestra's default interval of file triggers. */
const DEFAULT_INTERVAL_MS = 60_000;

const [pollingDef, realtimeDef] = fsDefinitions as [TaskDefinition, TaskDefinition];

for (const type of namesOf(pollingDef))
  registerTriggerType({
    kind: 'polling',
    type,
    defaultIntervalMs: DEFAULT_INTERVAL_MS,
    poll: (ctx) => pollFolder(ctx, `${FS}.Trigger`),
  });

for (const type of namesOf(realtimeDef))
  registerTriggerType({
    kind: 'realtime',
    type,
    subscribe: (ctx, emit, signal) => watchFolder(ctx, emit, signal),
  });
