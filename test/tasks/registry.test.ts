import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

const conformance = new URL('../../../shared/conformance/kestra/valid/', import.meta.url);

/** Every `type:` value under a task, trigger or condition (flow input/output/SLA types excluded). */
const typesUsed = (node: unknown, out: Set<string>): void => {
  if (Array.isArray(node)) for (const item of node) typesUsed(item, out);
  else if (node && typeof node === 'object') {
    const t = (node as Record<string, unknown>).type;
    if (typeof t === 'string' && t.includes('.')) out.add(t);
    for (const value of Object.values(node)) typesUsed(value, out);
  }
};

describe.skipIf(!existsSync(conformance))('Kestra conformance flows', () => {
  if (!existsSync(conformance)) console.log(`skipped: ${fileURLToPath(conformance)} not found`);
  const files = existsSync(conformance) ? readdirSync(conformance).filter((f) => /\.ya?ml$/.test(f)) : [];

  it.each(files)('%s: every type is registered', (file) => {
    const doc = parse(readFileSync(new URL(file, conformance), 'utf8'));
    const used = new Set<string>();
    typesUsed([doc.tasks, doc.errors, doc.finally, doc.triggers], used);
    const missing = [...used].filter((t) => !findDefinition(t));
    expect(missing).toEqual([]);
  });

  it.each(files)('%s: every task, trigger and condition validates against its type schema', (file) => {
    const doc = parse(readFileSync(new URL(file, conformance), 'utf8'));
    const problems: string[] = [];
    const check = (item: Record<string, unknown>, path: string): void => {
      const def = findDefinition(String(item.type));
      if (!def) return void problems.push(`${path}: unknown type ${String(item.type)}`);
      const validate = ajv.compile(taskJsonSchema(def));
      if (!validate(item)) problems.push(`${path}: ${ajv.errorsText(validate.errors)}`);
      const c = def.children ?? {};
      for (const list of c.lists ?? []) each(item[list], `${path}.${list}`);
      for (const map of c.maps ?? []) {
        for (const [k, v] of Object.entries((item[map] as object) ?? {})) each(v, `${path}.${map}.${k}`);
      }
      for (const single of c.single ?? [])
        if (item[single]) check(item[single] as never, `${path}.${single}`);
      for (const w of c.wrapped ?? []) {
        ((item[w.list] as Record<string, unknown>[]) ?? []).forEach((x, i) => {
          check(x[w.key] as never, `${path}.${w.list}[${i}].${w.key}`);
        });
      }
      const conditions = item.conditions;
      if (
        def.kind !== 'runnable' &&
        def.kind !== 'flowable' &&
        conditions &&
        typeof conditions === 'object'
      ) {
        for (const [k, v] of Object.entries(conditions)) check(v as never, `${path}.conditions.${k}`);
      }
    };
    const each = (list: unknown, path: string): void => {
      if (!Array.isArray(list)) return;
      for (const [i, t] of list.entries()) check(t, `${path}[${i}]`);
    };
    for (const key of ['tasks', 'errors', 'finally', 'triggers']) each(doc[key], key);
    expect(problems).toEqual([]);
  });
});
