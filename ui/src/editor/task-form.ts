/**
 * The no-code form of the task under the cursor: which task (from the YAML's node ranges), which fields
 * (from the flow JSON Schema's entry for its type: strings, numbers, booleans, enums and lists of
 * strings; everything else stays YAML-only), and the edit of one field back into the YAML (yaml's
 * Document keeps the rest of the text, comments included). Pure; tested in task-form.test.ts.
 */
import { isMap, isScalar, isSeq, type Node, parseDocument } from 'yaml';

export type FieldKind = 'string' | 'number' | 'boolean' | 'enum' | 'string[]';

export interface FormField {
  name: string;
  kind: FieldKind;
  description?: string;
  options?: string[];
  required: boolean;
}

export interface TaskAtCursor {
  /** Where the task's map is in the document (`['tasks', 1, 'tasks', 0]`). */
  path: (string | number)[];
  id: string;
  type: string;
  values: Record<string, unknown>;
}

/** The innermost map with a string `id` and `type` around `offset` (a task, a trigger or a condition). */
export const taskAt = (source: string, offset: number): TaskAtCursor | undefined => {
  const doc = parseDocument(source);
  // A document with errors cannot be written back: the form waits until the YAML parses.
  if (doc.errors.length > 0) return undefined;
  let found: TaskAtCursor | undefined;
  const visit = (node: Node | null | undefined, path: (string | number)[]) => {
    if (!node?.range || offset < node.range[0] || offset > node.range[1]) return;
    if (isMap(node)) {
      const id = node.get('id');
      const type = node.get('type');
      if (typeof id === 'string' && typeof type === 'string')
        found = { path, id, type, values: node.toJSON() as Record<string, unknown> };
      for (const pair of node.items)
        if (isScalar(pair.key)) visit(pair.value as Node, [...path, String(pair.key.value)]);
    } else if (isSeq(node))
      node.items.forEach((item, i) => {
        visit(item as Node, [...path, i]);
      });
  };
  visit(doc.contents as Node, []);
  return found;
};

interface SchemaProp {
  type?: string;
  enum?: unknown[];
  description?: string;
  items?: SchemaProp;
  anyOf?: SchemaProp[];
}

const simpleKind = (p: SchemaProp): FieldKind | undefined => {
  if (Array.isArray(p.enum) && p.enum.every((v) => typeof v === 'string')) return 'enum';
  if (p.type === 'string') return 'string';
  if (p.type === 'boolean') return 'boolean';
  if (p.type === 'integer' || p.type === 'number') return 'number';
  if (p.type === 'array' && p.items?.type === 'string' && !p.items.enum) return 'string[]';
  return undefined;
};

/** A property's kind; for a choice (`anyOf`), the one fitting the current value, else a string. */
export const kindOf = (p: SchemaProp, value: unknown): FieldKind | undefined => {
  const own = simpleKind(p);
  if (own || !Array.isArray(p.anyOf)) return own;
  const kinds = p.anyOf.map(simpleKind).filter((k): k is FieldKind => k !== undefined);
  if (Array.isArray(value)) return kinds.includes('string[]') ? 'string[]' : undefined;
  return kinds.includes('string') ? 'string' : kinds[0];
};

/** Common properties handled elsewhere: the type (which changes the fields), the id shown as the title. */
const LEFT_OUT = new Set(['type', 'id']);

/** The form's fields for a task type, from the flow schema (`definitions.task.allOf[].if/then`). */
export const fieldsOf = (schema: unknown, type: string, values: Record<string, unknown>): FormField[] => {
  const definitions = (schema as { definitions?: Record<string, { allOf?: unknown[] }> })?.definitions ?? {};
  for (const def of Object.values(definitions)) {
    for (const branch of def.allOf ?? []) {
      const b = branch as {
        if?: { properties?: { type?: { enum?: string[] } } };
        then?: { properties?: Record<string, SchemaProp>; required?: string[] };
      };
      if (!b.if?.properties?.type?.enum?.includes(type)) continue;
      const required = new Set(b.then?.required ?? []);
      return Object.entries(b.then?.properties ?? {}).flatMap(([name, p]) => {
        const kind = LEFT_OUT.has(name) ? undefined : kindOf(p, values[name]);
        if (!kind) return [];
        return [
          {
            name,
            kind,
            required: required.has(name),
            ...(p.description ? { description: p.description } : {}),
            ...(kind === 'enum' ? { options: (p.enum as string[]) ?? [] } : {}),
          },
        ];
      });
    }
  }
  return [];
};

/** The source with one field of the task at `path` set (or removed when `value` is undefined). */
export const setTaskField = (
  source: string,
  path: readonly (string | number)[],
  name: string,
  value: string | number | boolean | string[] | undefined,
): string => {
  const doc = parseDocument(source);
  if (doc.errors.length > 0) return source;
  if (value === undefined) doc.deleteIn([...path, name]);
  else doc.setIn([...path, name], value);
  return doc.toString();
};
