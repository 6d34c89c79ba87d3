/**
 * JSON Schemas (TypeBox) of the flow document's own properties and of flow inputs. Tasks, triggers and
 * conditions are validated one by one against their type's definition (see `compile.ts`), so the lists
 * holding them accept any item here.
 */
import { type TObject, type TSchema, Type } from '@sinclair/typebox';
import { Retry, WorkerGroup } from '../tasks/common.ts';
import { StaticDuration, StringEnum } from '../tasks/schema.ts';
import type { InputType } from './types.ts';

/** Kestra's id syntax (`@Pattern`, matched against the whole value). */
export const FLOW_ID_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9._-]*$';
export const NAMESPACE_PATTERN = '^[a-z0-9][a-z0-9._-]*$';
export const INPUT_ID_PATTERN = '^[a-zA-Z0-9][.a-zA-Z0-9_-]*$';

export const INPUT_TYPES: readonly InputType[] = [
  'STRING',
  'ENUM',
  'SELECT',
  'MULTISELECT',
  'INT',
  'FLOAT',
  'BOOLEAN',
  'BOOL',
  'DATETIME',
  'DATE',
  'TIME',
  'DURATION',
  'FILE',
  'JSON',
  'YAML',
  'URI',
  'SECRET',
  'ARRAY',
  'EMAIL',
];

const AnyItems = (options: object = {}) => Type.Array(Type.Unknown(), options);

/**
 * A closed object whose only required properties are `required` (TypeBox would otherwise require every
 * property not wrapped in `Type.Optional`).
 */
const Obj = <T extends Record<string, TSchema>>(
  properties: T,
  required: string[] = [],
  options: object = {},
): TObject<T> => {
  const o = Type.Object(properties, { additionalProperties: false, ...options });
  return required.length > 0 ? { ...o, required } : (({ required: _r, ...rest }) => rest as TObject<T>)(o);
};

const Labels = Type.Union(
  [
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    Type.Array(
      Obj(
        {
          key: Type.String({ minLength: 1 }),
          value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]),
        },
        ['key', 'value'],
      ),
    ),
  ],
  { description: 'Labels copied to every execution: a map, or a list of `{ key, value }`.' },
);

const PluginDefault = Obj(
  {
    type: Type.String({
      minLength: 1,
      description: 'Task or trigger type (or package prefix) the values apply to.',
    }),
    forced: Type.Boolean({ default: false, description: 'Override values written on the task.' }),
    values: Type.Record(Type.String(), Type.Unknown(), { description: 'Property values to apply.' }),
  },
  ['type', 'values'],
);

const Output = Obj(
  {
    id: Type.String({ pattern: INPUT_ID_PATTERN }),
    type: StringEnum(INPUT_TYPES),
    value: Type.Unknown(),
    description: Type.String(),
    displayName: Type.String(),
    required: Type.Boolean(),
  },
  ['id', 'type', 'value'],
);

const Sla = Obj(
  {
    id: Type.String({ minLength: 1 }),
    type: StringEnum(['MAX_DURATION', 'EXECUTION_ASSERTION']),
    behavior: StringEnum(['FAIL', 'CANCEL', 'NONE']),
    duration: StaticDuration(),
    assert: Type.String(),
    labels: Labels,
  },
  ['id', 'type', 'behavior'],
);

const Check = Obj(
  {
    condition: Type.String({ minLength: 1 }),
    message: Type.String({ minLength: 1 }),
    style: StringEnum(['ERROR', 'SUCCESS', 'WARNING', 'INFO']),
    behavior: StringEnum(['BLOCK_EXECUTION', 'FAIL_EXECUTION', 'CREATE_EXECUTION']),
  },
  ['condition', 'message'],
);

const Listener = Obj(
  {
    description: Type.String(),
    conditions: AnyItems(),
    tasks: AnyItems({ minItems: 1 }),
  },
  ['tasks'],
);

/** The flow document's own properties (Kestra 0.21 `Flow`). */
export const FlowSchema = Obj(
  {
    id: Type.String({ pattern: FLOW_ID_PATTERN, minLength: 1, maxLength: 100 }),
    namespace: Type.String({ pattern: NAMESPACE_PATTERN, minLength: 1, maxLength: 150 }),
    revision: Type.Integer({ minimum: 1 }),
    description: Type.String(),
    labels: Labels,
    inputs: AnyItems(),
    variables: Type.Record(Type.String(), Type.Unknown()),
    tasks: AnyItems({ minItems: 1 }),
    errors: AnyItems(),
    finally: AnyItems(),
    afterExecution: AnyItems(),
    triggers: AnyItems(),
    outputs: Type.Array(Output),
    concurrency: Obj(
      {
        limit: Type.Integer({ minimum: 1 }),
        behavior: StringEnum(['QUEUE', 'CANCEL', 'FAIL']),
      },
      ['limit'],
    ),
    retry: Retry,
    sla: Type.Array(Sla),
    checks: Type.Array(Check),
    pluginDefaults: Type.Array(PluginDefault),
    taskDefaults: Type.Array(PluginDefault, { deprecated: true }),
    disabled: Type.Boolean(),
    deleted: Type.Boolean(),
    workerGroup: WorkerGroup,
    listeners: Type.Array(Listener, { deprecated: true }),
  },
  ['id', 'namespace', 'tasks'],
);

const inputCommon = {
  id: Type.String({ pattern: INPUT_ID_PATTERN, minLength: 1 }),
  type: StringEnum(INPUT_TYPES),
  description: Type.String(),
  displayName: Type.String(),
  required: Type.Boolean(),
  defaults: Type.Unknown(),
  prefill: Type.Unknown(),
  dependsOn: Obj({ inputs: Type.Array(Type.String()), condition: Type.String() }),
};

const Str = Type.String();
const Int = Type.Integer();
const Num = Type.Number();
const Values = Type.Union([Type.Array(Type.String(), { minItems: 1 }), Type.String()]);

const inputSpecific: Record<InputType, Record<string, TSchema>> = {
  STRING: { validator: Str, minLength: Int, maxLength: Int },
  SECRET: { validator: Str },
  EMAIL: {},
  URI: {},
  JSON: {},
  YAML: {},
  BOOLEAN: {},
  BOOL: {},
  ENUM: { values: Type.Array(Type.String(), { minItems: 1 }) },
  SELECT: { values: Values, expression: Str, allowCustomValue: Type.Boolean(), isRadio: Type.Boolean() },
  MULTISELECT: { values: Values, options: Values, expression: Str, allowCustomValue: Type.Boolean() },
  INT: { min: Int, max: Int },
  FLOAT: { min: Num, max: Num },
  DATETIME: { after: Str, before: Str },
  DATE: { after: Str, before: Str },
  TIME: { after: Str, before: Str },
  DURATION: { min: StaticDuration(), max: StaticDuration() },
  FILE: { extension: Str },
  ARRAY: { itemType: StringEnum(INPUT_TYPES) },
};

const required: Partial<Record<InputType, string[]>> = { ENUM: ['values'], ARRAY: ['itemType'] };

/** The schema of an input of one type. */
export const inputSchema = (type: InputType): TObject =>
  Obj({ ...inputCommon, ...inputSpecific[type] }, ['id', 'type', ...(required[type] ?? [])]);
