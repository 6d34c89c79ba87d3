/**
 * ajv validators, compiled lazily and cached: a flow usually uses a handful of the registered types, and
 * compiling every schema up front would slow down every CLI start.
 */

import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import { conditionCommonProperties, taskCommonProperties, triggerCommonProperties } from '../tasks/common.ts';
import type { TaskDefinition } from '../tasks/types.ts';
import { FlowSchema, inputSchema } from './schemas.ts';
import type { InputType } from './types.ts';

// `verbose` keeps the failing data and schema on each error: `ajv-errors.ts` words messages from them.
const ajv = new Ajv({ allErrors: true, strict: false, verbose: true, validateFormats: false });

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
    v = ajv.compile(fullSchemaOf(def));
    byType.set(def.type, v);
  }
  return v;
};

let flowValidator: ValidateFunction | undefined;
export const validateFlowRoot = (): ValidateFunction => {
  flowValidator ??= ajv.compile(FlowSchema);
  return flowValidator;
};

const byInputType = new Map<InputType, ValidateFunction>();
export const inputValidatorFor = (type: InputType): ValidateFunction => {
  let v = byInputType.get(type);
  if (!v) {
    v = ajv.compile(inputSchema(type));
    byInputType.set(type, v);
  }
  return v;
};
