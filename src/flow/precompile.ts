/**
 * Build time only (rolldown.config.ts): the validators the bundle ships precompiled, as ajv standalone
 * code, by the name `precompiled.ts` loads them under. Made by the very ajv set-ups, from the very schemas,
 * that compile them at run time, so a precompiled validator behaves as a compiled one, errors included.
 */
import type { Ajv, ValidateFunction } from 'ajv';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { propsAjv } from '../tasks/props.ts';
import { builtinTasks } from '../tasks/registry.ts';
import { flowAjv, fullSchemaOf } from './compile.ts';
import { FlowSchema, INPUT_TYPES, inputSchema } from './schemas.ts';

// TypeScript types ajv's CommonJS module as an object whose `default` is the function; at run time it is
// the function itself, which carries `default` too.
const standalone = (standaloneModule as unknown as { default: (ajv: Ajv, v: ValidateFunction) => string })
  .default;

/** File name (without `.cjs`) → CommonJS source of one validator. */
export const precompileValidators = (): Record<string, string> => {
  // `source` keeps the generated code, which standalone output needs; it changes nothing else.
  const flow = flowAjv({ code: { source: true } });
  const props = propsAjv({ code: { source: true } });
  const out: Record<string, string> = {};
  out.flow = standalone(flow, flow.compile(FlowSchema));
  for (const type of INPUT_TYPES) out[`input.${type}`] = standalone(flow, flow.compile(inputSchema(type)));
  for (const def of builtinTasks.list()) {
    out[`task.${def.type}`] = standalone(flow, flow.compile(fullSchemaOf(def)));
    out[`props.${def.type}`] = standalone(props, props.compile(def.properties as object));
  }
  return out;
};
