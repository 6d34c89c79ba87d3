/**
 * ajv validators, made lazily and cached: a flow usually uses a handful of the registered types, and
 * compiling every schema up front would slow down every CLI start. The bundle ships those of the flow
 * document, the inputs and the built-in types precompiled (see `precompiled.ts`); the others, and all of
 * them when running from the sources, are compiled here on first use.
 */

import type { TSchema } from '@sinclair/typebox';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { conditionCommonProperties, taskCommonProperties, triggerCommonProperties } from '../tasks/common.ts';
import type { TaskDefinition } from '../tasks/types.ts';
import { isBuiltin, precompiledValidator } from './precompiled.ts';
import { FlowSchema, inputSchema } from './schemas.ts';
import type { InputType } from './types.ts';

/**
 * The ajv of flow validation; `precompile.ts` makes one with `extra` options to write the bundle's
 * validators. `verbose` keeps the failing data and schema on each error: `ajv-errors.ts` words messages
 * from them.
 */
export const flowAjv = (extra: Options = {}): Ajv =>
  new Ajv({ allErrors: true, strict: false, verbose: true, validateFormats: false, ...extra });

// Made on first compile only: with precompiled validators, a run needs no ajv instance at all.
let ajv: Ajv | undefined;
const compile = (schema: object): ValidateFunction => {
  ajv ??= flowAjv();
  return ajv.compile(schema);
};

type AnySchema = Record<string, unknown>;

/** The common properties of a kind of definition (tasks, triggers, conditions). */
export const commonPropertiesOf = (kind: TaskDefinition['kind']): Record<string, TSchema> =>
  kind === 'trigger'
    ? triggerCommonProperties
    : kind === 'condition'
      ? conditionCommonProperties
      : taskCommonProperties;

const commonRequired = (kind: TaskDefinition['kind']): string[] =>
  kind === 'condition' ? ['type'] : ['id', 'type'];

/**
 * A definition's full schema: its own properties plus the common ones of its kind, in one object schema so
 * that unknown properties are reported once, by name. Other keywords of the type's schema (`anyOf`,
 * `if`/`then`...) are kept.
 */
export const fullSchemaOf = (def: TaskDefinition): AnySchema => {
  const own = def.properties as unknown as AnySchema;
  const { properties, required, additionalProperties, type: _type, ...rest } = own;
  const common = commonPropertiesOf(def.kind);
  return {
    ...rest,
    type: 'object',
    properties: { ...common, ...((properties as AnySchema | undefined) ?? {}) },
    required: [...new Set([...commonRequired(def.kind), ...((required as string[] | undefined) ?? [])])],
    additionalProperties: additionalProperties ?? false,
  };
};

const byType = new Map<string, ValidateFunction>();

/** The validator of one task, trigger or condition type (common properties included). */
export const validatorFor = (def: TaskDefinition): ValidateFunction => {
  let v = byType.get(def.type);
  if (!v) {
    v = (isBuiltin(def) && precompiledValidator(`task.${def.type}`)) || compile(fullSchemaOf(def));
    byType.set(def.type, v);
  }
  return v;
};

let flowValidator: ValidateFunction | undefined;
export const validateFlowRoot = (): ValidateFunction => {
  flowValidator ??= precompiledValidator('flow') ?? compile(FlowSchema);
  return flowValidator;
};

const byInputType = new Map<InputType, ValidateFunction>();
export const inputValidatorFor = (type: InputType): ValidateFunction => {
  let v = byInputType.get(type);
  if (!v) {
    v = precompiledValidator(`input.${type}`) ?? compile(inputSchema(type));
    byInputType.set(type, v);
  }
  return v;
};
