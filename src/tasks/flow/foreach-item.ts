import { Type } from '@sinclair/typebox';
import { DString, dyn, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';
import { subflowTarget } from './subflow-common.ts';

const Batch = Type.Object(
  {
    rows: Type.Optional(
      dyn(Type.Integer({ minimum: 1 }), { description: 'Number of items (lines) per batch; default 1.' }),
    ),
    bytes: Type.Optional(DString({ description: 'Maximum size of a batch, e.g. `10MB`.' })),
    partitions: Type.Optional(
      dyn(Type.Integer({ minimum: 1 }), { description: 'Split the items into this many batches.' }),
    ),
    separator: Type.Optional(
      Type.String({
        default: '\n',
        description: 'Separator between items in the file; a newline by default.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'How to split the items into batches: by `rows`, `bytes` or number of `partitions` (one of them).',
  },
);

export const forEachItem: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.ForEachItem',
  aliases: ['io.kestra.core.tasks.flows.ForEachItem', 'foreachitem'],
  kind: 'flowable',
  title: 'Split a file into batches and start one subflow execution per batch.',
  description:
    'Reads the file at `items` (an internal storage URI, one item per line), splits it into batches and ' +
    'starts the flow `namespace`/`flowId` once per batch. In `inputs`, `{{ taskrun.items }}` is the URI ' +
    'of the batch file and `{{ taskrun.iteration }}` its number. As in Kestra, it runs three internal ' +
    'tasks whose task runs hold the outputs: `<id>_split`, `<id>_items` (outputs `numberOfBatches` and ' +
    '`iterations`, the count of child executions by state) and `<id>_merge` (output `subflowOutputs`, ' +
    'a file with the flow outputs of the children, one JSON object per line, when they have some).',
  example: `id: each_batch
type: io.kestra.plugin.core.flow.ForEachItem
items: "{{ inputs.file }}"
batch:
  rows: 100
namespace: company.team
flowId: process_batch
wait: true
transmitFailed: true
inputs:
  data: "{{ taskrun.items }}"
`,
  properties: Props(
    {
      items: DString({ minLength: 1, description: 'Internal storage URI of the file to split.' }),
      batch: Batch,
      ...subflowTarget,
      wait: Type.Boolean({ default: true, description: 'Wait for all the child executions to end.' }),
      transmitFailed: Type.Boolean({
        default: true,
        description: 'Fail this task when one child execution fails or is killed (needs `wait`).',
      }),
      ...errorHandlers,
    },
    { required: ['items', 'namespace', 'flowId'] },
  ),
  children: { lists: ['errors', 'finally'] },
};
