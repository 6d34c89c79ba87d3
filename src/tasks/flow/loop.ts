import { Type } from '@sinclair/typebox';
import { DString, Props, StringEnum, TaskList } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

const LoopOutput = Type.Object(
  {
    id: Type.String({ description: 'Name of the output.' }),
    type: Type.String({ description: 'Type of the output (STRING, INT, FLOAT, BOOLEAN, JSON...).' }),
    value: Type.Unknown({ description: 'Value, usually an expression over the iteration’s outputs.' }),
    description: Type.Optional(Type.String({ description: 'What the output holds.' })),
    displayName: Type.Optional(Type.String({ description: 'Name shown in the UI.' })),
    required: Type.Optional(Type.Boolean({ description: 'Whether the output must have a value.' })),
  },
  { additionalProperties: false },
);

export const loop: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.Loop',
  aliases: ['loop'],
  kind: 'flowable',
  since: '2.0',
  title: 'Run tasks once per item of a list or map, each iteration in its own scope.',
  description:
    'Runs `tasks` once for each item of `values` (a list, a map, or an expression / JSON string ' +
    'rendering to one). Every task of an iteration, however deeply nested, sees `{{ item.value }}` ' +
    '(objects as JSON strings), `{{ item.index }}` (from 0), `{{ item.key }}` for maps, and in nested ' +
    'loops `item.parent` / `item.parents`. Outputs of the tasks of an iteration are visible as ' +
    '`outputs.<taskId>` inside that iteration only: declare `outputs` on the Loop to collect values, ' +
    'read afterwards as `outputs.<loop>.outputs` (a list of `{item, outputs}`; `loopOutputs()` picks one ' +
    'field). `concurrencyLimit` bounds the iterations running at once (0, the default: no limit). A ' +
    'failed iteration fails the Loop unless `transmitFailed` is false. `breakWhen` is rendered after ' +
    'each iteration (with `iteration.state` and `iteration.outputs`): when truthy, no new iteration ' +
    'starts. Loop outputs: `iterationCount`, `runningIterations`, `terminatedIterations`, `outputs`. ' +
    'Baton runs iterations inside the execution (Kestra starts a sub-execution for each); values from ' +
    'an internal storage file and `fetchType: STORE` are not supported yet.',
  example: `id: loop
type: io.kestra.plugin.core.flow.Loop
values: ["alpha", "beta"]
concurrencyLimit: 1
outputs:
  - id: label
    type: STRING
    value: "{{ outputs.process.value }}"
tasks:
  - id: process
    type: io.kestra.plugin.core.debug.Return
    format: "processed {{ item.value }}"
`,
  properties: Props(
    {
      values: Type.Union(
        [Type.Array(Type.Unknown()), Type.Record(Type.String(), Type.Unknown()), Type.String()],
        {
          dynamic: true,
          description:
            'The items: a list, a map (one iteration per entry, `item.key`), or a JSON string / ' +
            'expression rendering to one.',
        },
      ),
      concurrencyLimit: Type.Integer({
        minimum: 0,
        default: 0,
        description: 'How many iterations may run at the same time; 0 means no limit.',
      }),
      transmitFailed: Type.Boolean({
        default: true,
        description: 'Fail the Loop (and start no new iteration) when an iteration fails or is killed.',
      }),
      outputs: Type.Array(LoopOutput, {
        description: 'Values rendered at the end of each iteration and collected in the `outputs` output.',
      }),
      fetchType: StringEnum(['AUTO', 'FETCH', 'STORE'], {
        default: 'AUTO',
        description: 'How collected outputs are kept: FETCH (in the outputs) is what Baton supports.',
      }),
      breakWhen: DString({
        description: 'Rendered after each iteration; when truthy, no new iteration starts.',
      }),
      tasks: TaskList({ minItems: 1, description: 'Tasks run for each item, in order.' }),
      ...errorHandlers,
    },
    { required: ['values', 'tasks'] },
  ),
  children: { lists: ['tasks', 'errors', 'finally'] },
};
