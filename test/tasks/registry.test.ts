import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { definitions } from '../../src/tasks/definitions.ts';
import { taskJsonSchema } from '../../src/tasks/docs.ts';
import { canonicalType, findDefinition } from '../../src/tasks/registry.ts';

const ajv = new Ajv({ strict: false, allErrors: true });

describe('task registry', () => {
  it('registers every name once', () => {
    const seen = new Map<string, string>();
    for (const def of definitions) {
      for (const name of [def.type, ...(def.aliases ?? [])]) {
        expect(seen.get(name), `${name} is registered by ${seen.get(name)} and ${def.type}`).toBeUndefined();
        seen.set(name, def.type);
      }
    }
  });

  it('resolves every alias to its definition', () => {
    for (const def of definitions) {
      for (const name of [def.type, ...(def.aliases ?? [])]) expect(canonicalType(name)).toBe(def.type);
    }
  });

  it('has a short lower-case alias for every type', () => {
    for (const def of definitions) {
      const short = (def.aliases ?? []).filter((a) => !a.startsWith('io.kestra.'));
      expect(short.length, def.type).toBeGreaterThan(0);
      for (const a of short) expect(a, def.type).toBe(a.toLowerCase());
    }
  });

  it.each(definitions.map((d) => [d.type, d] as const))('%s: example validates', (_name, def) => {
    const example = parse(def.example) as Record<string, unknown>;
    expect(findDefinition(String(example.type))).toBe(def);
    const validate = ajv.compile(taskJsonSchema(def));
    const ok = validate(example);
    expect(ok ? [] : validate.errors).toEqual([]);
  });

  it.each(definitions.map((d) => [d.type, d] as const))('%s: own properties are documented', (_name, def) => {
    const schema = def.properties as { additionalProperties?: boolean; properties?: Record<string, unknown> };
    expect(schema.additionalProperties).toBe(false);
    for (const [prop, s] of Object.entries(schema.properties ?? {})) {
      expect((s as { description?: string }).description, `${def.type}.${prop}`).toBeTruthy();
    }
    expect(def.title).toBeTruthy();
    expect(def.description).toBeTruthy();
  });

  it('flowable definitions declare their children', () => {
    for (const def of definitions.filter((d) => d.kind === 'flowable')) {
      // Subflow-like tasks start other executions and have no child task of their own.
      if (['io.kestra.plugin.core.flow.Subflow', 'io.kestra.plugin.core.flow.Flow'].includes(def.type))
        continue;
      expect(def.children, def.type).toBeDefined();
      const own = (def.properties as unknown as { properties: Record<string, unknown> }).properties;
      const c = def.children ?? {};
      const named = [
        ...(c.lists ?? []),
        ...(c.maps ?? []),
        ...(c.single ?? []),
        ...(c.wrapped ?? []).map((w) => w.list),
      ];
      for (const prop of named) expect(own[prop], `${def.type}.${prop}`).toBeDefined();
    }
  });
});
