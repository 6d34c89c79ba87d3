/**
 * Schema building blocks for task definitions (TypeBox, i.e. JSON Schema).
 *
 * Custom keywords (unknown to JSON Schema; register them with `ajv.addKeyword` when ajv runs in strict mode,
 * see `customKeywords`):
 * - `dynamic: true`: the property accepts `{{ }}` / `{% %}` expressions, rendered just before use.
 * - `children: true`: the property holds child tasks (mirrors `TaskDefinition.children`, for tools that only
 *   see the JSON Schema).
 * - `condition: true`: the value is a condition (dispatched on its own `type`, validated separately).
 */
import {
  KindGuard,
  type SchemaOptions,
  type TArray,
  type TObject,
  type TRecord,
  type TSchema,
  type TString,
  type TUnion,
  Type,
} from '@sinclair/typebox';

/** Keywords Baton adds to JSON Schema; strict-mode ajv instances must declare them. */
export const customKeywords = ['dynamic', 'children', 'condition'] as const;

/** Matches a string containing an expression: `{{ ... }}` or a `{% ... %}` tag. */
export const EXPRESSION_PATTERN = '\\{\\{|\\{%';

/** A string holding an expression; rendered at run time, so its final type is only known then. */
export const Expr = Type.String({
  pattern: EXPRESSION_PATTERN,
  description: 'An expression (`{{ ... }}`) rendered at run time.',
});

/**
 * A property that accepts an expression as well as a literal value. Strings are dynamic as they are (any
 * string may contain `{{ }}`), so they are only marked; other types become `T | expression`.
 */
export function dyn(t: TString, options?: SchemaOptions): TString;
export function dyn<T extends TSchema>(t: T, options?: SchemaOptions): TUnion<[T, TString]>;
export function dyn(t: TSchema, options: SchemaOptions = {}): TSchema {
  if (KindGuard.IsString(t) && t.pattern === undefined && t.format === undefined && t.enum === undefined) {
    return Type.String({ ...t, ...options, dynamic: true });
  }
  // Descriptions and defaults belong on the property, i.e. the union, not on one of its branches.
  const { description, default: def, title, ...inner } = t as TSchema & Record<string, unknown>;
  const branch = { ...inner } as TSchema;
  return Type.Union([branch, Expr], {
    dynamic: true,
    ...(description !== undefined ? { description } : {}),
    ...(def !== undefined ? { default: def } : {}),
    ...(title !== undefined ? { title } : {}),
    ...options,
  });
}

/** A dynamic string (shorthand for `dyn(Type.String(options))`). */
export const DString = (options: SchemaOptions = {}): TString => Type.String({ ...options, dynamic: true });

/**
 * Java's `Duration.parse` syntax (ISO-8601 days and time; case-insensitive, fractions of seconds allowed),
 * e.g. `PT1S`, `PT0.250S`, `P1D`, `PT1H30M`.
 */
export const ISO_DURATION_PATTERN =
  '^[-+]?[Pp](?=[-+]?\\d|[Tt][-+]?\\d)(?:[-+]?\\d+[Dd])?(?:[Tt](?=[-+]?\\d)(?:[-+]?\\d+[Hh])?(?:[-+]?\\d+[Mm])?(?:[-+]?\\d+(?:[.,]\\d{0,9})?[Ss])?)?$';

/** An ISO-8601 duration (`PT1S`, `P1D`...) or an expression rendering to one. */
export const Duration = (options: SchemaOptions = {}): TString =>
  Type.String({
    pattern: `${ISO_DURATION_PATTERN}|${EXPRESSION_PATTERN}`,
    dynamic: true,
    ...options,
    description: options.description ?? 'An ISO-8601 duration such as `PT30S`, `PT5M` or `P1D`.',
  });

/** A duration that must be literal (no expression): used where Kestra reads a plain `Duration`. */
export const StaticDuration = (options: SchemaOptions = {}): TString =>
  Type.String({
    pattern: ISO_DURATION_PATTERN,
    ...options,
    description: options.description ?? 'An ISO-8601 duration such as `PT30S`, `PT5M` or `P1D`.',
  });

/**
 * A child task as seen from its parent's schema: only `id` and `type` are checked here. Each child is
 * validated on its own by the flow validator, which dispatches on its `type`.
 */
export const TaskRef = Type.Object(
  {
    id: Type.String({ description: 'Task id, unique in the flow.' }),
    type: Type.String({ description: 'Task type.' }),
  },
  { additionalProperties: true },
);

/** A list of child tasks. Kestra rejects empty lists where tasks are required (`@NotEmpty`): `minItems: 1`. */
export const TaskList = (options: SchemaOptions = {}): TArray<typeof TaskRef> =>
  Type.Array(TaskRef, { children: true, ...options });

/** A map of named lists of child tasks (Switch `cases`). */
export const TaskMap = (options: SchemaOptions = {}): TRecord<TString, TArray<typeof TaskRef>> =>
  Type.Record(Type.String(), TaskList({ minItems: 1 }), { children: true, ...options });

/** A single child task. */
export const SingleTask = (options: SchemaOptions = {}) =>
  Type.Object(TaskRef.properties, {
    additionalProperties: true,
    children: true,
    ...options,
  });

/** A condition inside a list or map: only `type` is checked here, the rest by dispatching on `type`. */
export const ConditionRef = (options: SchemaOptions = {}) =>
  Type.Object(
    { type: Type.String({ description: 'Condition type.' }) },
    { additionalProperties: true, condition: true, ...options },
  );

/** Any JSON value. */
export const JsonLike = (options: SchemaOptions = {}): TSchema => Type.Unknown(options);

/** A map from string to any value (a JSON object). */
export const JsonMap = (options: SchemaOptions = {}): TRecord<TString, TSchema> =>
  Type.Record(Type.String(), Type.Unknown(), options);

/** A map of string values (e.g. environment variables, HTTP headers). */
export const StringMap = (options: SchemaOptions = {}): TRecord<TString, TString> =>
  Type.Record(Type.String(), Type.String({ dynamic: true }), options);

/** A list of items, or an expression / JSON string rendering to one (Kestra's `Object values` style). */
export const ListOrString = <T extends TSchema>(item: T, options: SchemaOptions = {}) =>
  Type.Union([Type.Array(item), Type.String()], { dynamic: true, ...options });

/** A map, or an expression / JSON string rendering to one. */
export const MapOrString = <T extends TSchema>(value: T, options: SchemaOptions = {}) =>
  Type.Union([Type.Record(Type.String(), value), Type.String()], { dynamic: true, ...options });

/** A string, or a list of strings (e.g. `commands`, `Log.message`), each rendered. */
export const StringOrList = (options: SchemaOptions = {}) =>
  Type.Union([Type.String(), Type.Array(Type.String())], { dynamic: true, ...options });

/** A literal enum of strings (rendered: an expression is accepted too when `dynamic`). */
export const StringEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/** A dynamic enum: one of the values, or an expression rendering to one. */
export const DEnum = <const T extends readonly string[]>(values: T, options: SchemaOptions = {}) =>
  dyn(StringEnum(values), options);

/**
 * A type's own properties: an object that rejects unknown properties. Properties are optional unless named
 * in `options.required` (JSON Schema style).
 */
export const Props = (
  properties: Record<string, TSchema>,
  options: SchemaOptions & { required?: string[] } = {},
): TObject => {
  const { required = [], ...rest } = options;
  for (const name of required) {
    if (!(name in properties)) throw new Error(`required property ${name} is not declared`);
  }
  const shaped: Record<string, TSchema> = {};
  for (const [name, schema] of Object.entries(properties)) {
    shaped[name] = required.includes(name) ? schema : Type.Optional(schema);
  }
  return Type.Object(shaped, { additionalProperties: false, ...rest });
};

export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** Terminal and non-terminal execution / task-run states of Kestra. */
export const STATES = [
  'CREATED',
  'RUNNING',
  'PAUSED',
  'RESTARTED',
  'KILLING',
  'SUCCESS',
  'WARNING',
  'FAILED',
  'KILLED',
  'CANCELLED',
  'QUEUED',
  'RETRYING',
  'RETRIED',
  'SKIPPED',
  'BREAKPOINT',
] as const;
