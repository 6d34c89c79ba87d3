import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowJsonSchema } from '../../src/flow/index.ts';

const root = fileURLToPath(new URL('../../../shared/conformance/kestra/valid', import.meta.url));

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

  it.skipIf(!existsSync(root))('accepts every valid Kestra conformance flow', () => {
    const failures = readdirSync(root)
      .filter((f) => /\.ya?ml$/.test(f))
      .filter((f) => !validate(parse(readFileSync(`${root}/${f}`, 'utf8'))))
      .map((f) => `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    expect(failures).toEqual([]);
  });
});
