/** State tasks (deprecated in favour of the KV store): a JSON object kept per flow across executions. */
import { Type } from '@sinclair/typebox';
import { DString, dyn, JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const common = {
  name: DString({ default: 'default', description: 'Name of the state; several states may coexist.' }),
  namespace: dyn(Type.Boolean(), {
    default: false,
    description: 'Share the state with every flow of the namespace instead of this flow only.',
  }),
  taskrunValue: dyn(Type.Boolean(), {
    default: true,
    description: 'Keep one state per loop value (`taskrun.value`) when run inside a loop.',
  }),
};

export const stateSet: TaskDefinition = {
  type: 'io.kestra.plugin.core.state.Set',
  aliases: ['io.kestra.core.tasks.states.Set', 'state.set'],
  kind: 'runnable',
  deprecated: true,
  title: 'Merge values into a stored state (deprecated: use kv.Set).',
  description: 'Merges `data` into the state `name`. Outputs: `count` of keys and `key` of the state.',
  example: `id: save
type: io.kestra.plugin.core.state.Set
data:
  last: "{{ execution.id }}"
`,
  properties: Props({
    ...common,
    data: JsonMap({ dynamic: true, description: 'Values to merge in; rendered.' }),
  }),
};

export const stateGet: TaskDefinition = {
  type: 'io.kestra.plugin.core.state.Get',
  aliases: ['io.kestra.core.tasks.states.Get', 'state.get'],
  kind: 'runnable',
  deprecated: true,
  title: 'Read a stored state (deprecated: use kv.Get).',
  description: 'Reads the state `name`. Outputs: `data` and `count`.',
  example: `id: load
type: io.kestra.plugin.core.state.Get
`,
  properties: Props({
    ...common,
    errorOnMissing: dyn(Type.Boolean(), {
      default: false,
      description: 'Fail when the state does not exist.',
    }),
  }),
};

export const stateDelete: TaskDefinition = {
  type: 'io.kestra.plugin.core.state.Delete',
  aliases: ['io.kestra.core.tasks.states.Delete', 'state.delete'],
  kind: 'runnable',
  deprecated: true,
  title: 'Delete a stored state (deprecated: use kv.Delete).',
  description: 'Deletes the state `name`. Output: `deleted`.',
  example: `id: reset
type: io.kestra.plugin.core.state.Delete
`,
  properties: Props({
    ...common,
    errorOnMissing: dyn(Type.Boolean(), {
      default: false,
      description: 'Fail when the state does not exist.',
    }),
  }),
};

export const stateDefinitions: TaskDefinition[] = [stateSet, stateGet, stateDelete];
