/**
 * Kestra's own test flows (../shared/conformance/kestra/valid) against Baton's schemas: the flow JSON
 * Schema, and every task, trigger and condition against its type's schema. The project's own flows are
 * checked in test/flow/schema.test.ts and test/tasks/registry.test.ts. Skips when this clone has no
 * shared folder.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { flowJsonSchema } from '../../src/flow/index.ts';
import { taskJsonSchema } from '../../src/tasks/docs.ts';
import { findDefinition } from '../../src/tasks/registry.ts';

const ajv = new Ajv({ strict: false, allErrors: true });

const conformance = new URL('../../../shared/conformance/kestra/valid/', import.meta.url);
const files = existsSync(conformance) ? readdirSync(conformance).filter((f) => /\.ya?ml$/.test(f)) : [];

/** Every `type:` value under a task, trigger or condition (flow input/output/SLA types excluded). */
const typesUsed = (node: unknown, out: Set<string>): void => {
  if (Array.isArray(node)) for (const item of node) typesUsed(item, out);
  else if (node && typeof node === 'object') {
    const t = (node as Record<string, unknown>).type;
    if (typeof t === 'string' && t.includes('.')) out.add(t);
    for (const value of Object.values(node)) typesUsed(value, out);
  }
};

describe.skipIf(files.length === 0)("Kestra conformance: the valid flows against Baton's schemas", () => {
  if (files.length === 0) console.log(`skipped: ${fileURLToPath(conformance)} not found`);

  it('every flow matches the flow JSON Schema (in a strict JSON Schema tool)', () => {
    const validate = new Ajv({ allErrors: true }).compile(flowJsonSchema());
    const failures = files
      .filter((f) => !validate(parse(readFileSync(new URL(f, conformance), 'utf8'))))
      .map((f) => `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    expect(failures).toEqual([]);
  });

  // One test per check, listing every flow that fails (rather than one test per flow).
  it('every type every flow uses is registered', () => {
    const missing = files.flatMap((file) => {
      const doc = parse(readFileSync(new URL(file, conformance), 'utf8'));
      const used = new Set<string>();
      typesUsed([doc.tasks, doc.errors, doc.finally, doc.triggers], used);
      return [...used].filter((t) => !findDefinition(t)).map((t) => `${file}: ${t}`);
    });
    expect(missing).toEqual([]);
  });

  const typeSchemaProblems = (file: string): string[] => {
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
    return problems.map((p) => `${file}: ${p}`);
  };

  it('every task, trigger and condition of every flow validates against its type schema', () => {
    expect(files.flatMap(typeSchemaProblems)).toEqual([]);
  });
});
