import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { definitions } from '../../src/tasks/definitions.ts';
import { describeType, taskJsonSchema } from '../../src/tasks/docs.ts';
import { Duration, dyn, ISO_DURATION_PATTERN } from '../../src/tasks/schema.ts';

describe('describeType', () => {
  it('documents a type by alias with its properties and example', () => {
    const text = describeType('log');
    expect(text).toContain('# io.kestra.plugin.core.log.Log');
    expect(text).toContain('`io.kestra.core.tasks.log.Log`');
    expect(text).toMatch(/\| `message` \| .* \| yes \| yes \|/);
    expect(text).toMatch(/\| `level` \| TRACE .* \| no \| no \| `"INFO"` \|/);
    expect(text).toContain('```yaml\nid: hello');
  });

  it('renders every registered type', () => {
    for (const def of definitions) expect(describeType(def.type)).toContain(def.example.trimEnd());
  });

  it('names what to do for an unknown type', () => {
    expect(() => describeType('io.kestra.nope')).toThrow(/baton docs/);
  });
});

describe('taskJsonSchema', () => {
  it('restricts type to the names of the definition and adds the common properties', () => {
    const schema = taskJsonSchema(definitions.find((d) => d.type === 'io.kestra.plugin.core.flow.Pause')!);
    expect((schema.properties.type as unknown as { enum: string[] }).enum).toContain('pause');
    expect(schema.properties.retry).toBeDefined();
    // Pause's own `timeout` (how long to stay paused) replaces the common one.
    expect(schema.properties.timeout?.description).toMatch(/resumed/);
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'type']));
  });

  it('requires only type for conditions', () => {
    const schema = taskJsonSchema(definitions.find((d) => d.kind === 'condition')!);
    expect(schema.required).not.toContain('id');
  });
});

describe('schema helpers', () => {
  it('dyn marks strings and unions other types with an expression', () => {
    expect(dyn(Type.String()).dynamic).toBe(true);
    const n = dyn(Type.Integer(), { description: 'n' }) as unknown as {
      anyOf: unknown[];
      description: string;
    };
    expect(n.anyOf).toHaveLength(2);
    expect(n.description).toBe('n');
  });

  it('accepts Java durations and expressions', () => {
    const re = new RegExp(ISO_DURATION_PATTERN);
    for (const ok of ['PT1S', 'PT0.250S', 'PT0.25s', 'P1D', 'PT1H30M', 'P2DT3H', '-PT5M'])
      expect(re.test(ok), ok).toBe(true);
    for (const bad of ['P', 'PT', '1S', 'P1Y', 'P1W', 'PT1.5M', 'soon'])
      expect(re.test(bad), bad).toBe(false);
    expect(new RegExp(Duration().pattern!).test('{{ inputs.wait }}')).toBe(true);
  });
});
