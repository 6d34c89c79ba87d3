import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowJsonSchema, formatFlowError, loadFlowSource } from '../../src/flow/index.ts';
import { constructs } from './schema-flows.ts';

const examplesDir = fileURLToPath(new URL('../../examples', import.meta.url));

describe('flowJsonSchema', () => {
  // A standard (strict) ajv: the schema must work in any JSON Schema tool, not only Baton's lenient one.
  const validate = new Ajv({ allErrors: true }).compile(flowJsonSchema());

  it('accepts a minimal flow and rejects unknown task properties', () => {
    const ok = {
      id: 'f',
      namespace: 'n',
      tasks: [{ id: 't', type: 'io.kestra.plugin.core.log.Log', message: 'x' }],
    };
    expect(validate(ok)).toBe(true);
    const bad = { ...ok, tasks: [{ id: 't', type: 'io.kestra.plugin.core.log.Log', message: 'x', nope: 1 }] };
    expect(validate(bad)).toBe(false);
  });

  it('validates nested tasks through $ref', () => {
    const flow = {
      id: 'f',
      namespace: 'n',
      tasks: [
        { id: 's', type: 'io.kestra.plugin.core.flow.Sequential', tasks: [{ id: 'r', type: 'nope.Nope' }] },
      ],
    };
    expect(validate(flow)).toBe(false);
  });

  // The project's own flows: the examples, and one flow per construct the examples do not show.
  const examples = readdirSync(examplesDir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f): [string, string] => [`examples/${f}`, readFileSync(join(examplesDir, f), 'utf8')]);

  it('finds the examples', () => expect(examples.length).toBeGreaterThanOrEqual(2));

  it.each([...examples, ...Object.entries(constructs)])('accepts %s', (name, source) => {
    // Valid for Baton's own validator first, so that the schema is not the only judge.
    expect(loadFlowSource(source, name).errors.map(formatFlowError)).toEqual([]);
    const ok = validate(parse(source));
    expect(ok, JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
  });
});
