/**
 * The bundle's precompiled validators (dist/validators/, built by the global setup) judge as the validators
 * ajv compiles from the sources do: same verdict, same errors, same coercions and defaults. The rest of the
 * suite runs the sources, which compile at run time; this ties the two.
 */
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowAjv, fullSchemaOf } from '../../src/flow/compile.ts';
import { FlowSchema, INPUT_TYPES, inputSchema } from '../../src/flow/schemas.ts';
import { propsAjv } from '../../src/tasks/props.ts';
import { builtinTasks } from '../../src/tasks/registry.ts';

const load = createRequire(new URL('../../dist/validators/', import.meta.url));
const precompiled = (name: string) => load(`./${name}.cjs`) as ValidateFunction;

/** Verdict, errors (as JSON: the schemas they point to are copies) and the data after validation. */
const outcome = (validate: ValidateFunction, data: unknown) => {
  const copy = structuredClone(data);
  const valid = validate(copy);
  return { valid, errors: JSON.parse(JSON.stringify(validate.errors ?? null)), data: copy };
};

/** A task as its type documents it, then broken in the ways authors break them. */
const variants = (example: Record<string, unknown>): unknown[] => {
  const out: unknown[] = [example, { ...example, unknownProperty: 1 }, { ...example, retry: { type: 'x' } }];
  for (const key of Object.keys(example)) {
    if (key === 'id' || key === 'type') continue;
    for (const wrong of [null, 12, '12', 'true', ['a'], { a: 1 }]) out.push({ ...example, [key]: wrong });
  }
  return out;
};

const flowAjvInstance = flowAjv();
const propsAjvInstance = propsAjv();

describe('precompiled validators', () => {
  it('of every built-in type judge task definitions and props as compiled ones do', () => {
    for (const def of builtinTasks.list()) {
      const compiledTask = flowAjvInstance.compile(fullSchemaOf(def));
      const compiledProps = propsAjvInstance.compile(def.properties as object);
      const task = precompiled(`task.${def.type}`);
      const props = precompiled(`props.${def.type}`);
      for (const data of variants(parse(def.example) as Record<string, unknown>)) {
        expect(outcome(task, data), def.type).toEqual(outcome(compiledTask, data));
        const { id: _id, type: _type, ...own } = data as Record<string, unknown>;
        expect(outcome(props, own), def.type).toEqual(outcome(compiledProps, own));
      }
    }
  });

  it('of the flow document and of inputs judge as compiled ones do', () => {
    const flow = { id: 'f', namespace: 'company.team', tasks: [{ id: 't', type: 'log', message: 'hi' }] };
    const compiledFlow = flowAjvInstance.compile(FlowSchema);
    for (const data of variants(flow))
      expect(outcome(precompiled('flow'), data)).toEqual(outcome(compiledFlow, data));
    for (const type of INPUT_TYPES) {
      const compiled = flowAjvInstance.compile(inputSchema(type));
      for (const data of variants({ id: 'i', type, defaults: 'x', required: false }))
        expect(outcome(precompiled(`input.${type}`), data), type).toEqual(outcome(compiled, data));
    }
  });
});
