/** Properties shared by the tasks that start executions of another flow (Subflow, Flow, ForEachItem). */
import { type TSchema, Type } from '@sinclair/typebox';
import { DString, JsonMap, StringEnum } from '../schema.ts';

export const Labels = Type.Union(
  [
    Type.Record(Type.String(), Type.String({ dynamic: true })),
    Type.Array(
      Type.Object(
        { key: Type.String({ dynamic: true }), value: Type.String({ dynamic: true }) },
        { additionalProperties: false },
      ),
    ),
  ],
  { dynamic: true, description: 'Labels as a map `key: value` or a list of `{key, value}`.' },
);

export const subflowTarget: Record<string, TSchema> = {
  namespace: DString({ minLength: 1, description: 'Namespace of the flow to start.' }),
  flowId: DString({ minLength: 1, description: 'Id of the flow to start.' }),
  revision: Type.Integer({
    minimum: 1,
    description: 'Revision of the flow to start; the latest revision when absent.',
  }),
  inputs: JsonMap({
    dynamic: true,
    description: 'Inputs passed to the started execution; values are rendered.',
  }),
  labels: { ...Labels, description: 'Labels added to the started execution; values are rendered.' },
  inheritLabels: Type.Boolean({
    default: false,
    description: 'Copy the labels of the current execution to the started execution.',
  }),
  scheduleDate: DString({
    description: 'Create the execution now but start it at this date (ISO-8601 date-time).',
  }),
  restartBehavior: StringEnum(['RETRY_FAILED', 'NEW_EXECUTION'], {
    default: 'RETRY_FAILED',
    description:
      'When the current execution is restarted: restart the failed child execution, or create a new one.',
  }),
};
