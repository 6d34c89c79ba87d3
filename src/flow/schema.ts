/**
 * The JSON Schema (draft-07) of a whole flow document, built from the task registry: editors (VS Code's YAML
 * extension...) use it for completion and checks. Tasks, triggers, conditions and inputs dispatch on their
 * `type` with `if`/`then`, so each gets the properties of its own type.
 *
 * It describes the file as written: Baton's validator (`validate.ts`) adds what a schema cannot say
 * (unique ids, Dag cycles...) and applies `pluginDefaults` first.
 */

import { listDefinitions } from '../tasks/registry.ts';
import { customKeywords } from '../tasks/schema.ts';
import type { TaskKind } from '../tasks/types.ts';
import { fullSchemaOf } from './compile.ts';
import { FlowSchema, INPUT_TYPES, inputSchema } from './schemas.ts';

type Json = Record<string, unknown>;

const REF = {
  task: { $ref: '#/definitions/task' },
  trigger: { $ref: '#/definitions/trigger' },
  condition: { $ref: '#/definitions/condition' },
  input: { $ref: '#/definitions/input' },
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keywords whose value is a map of schemas, a list of schemas, or one schema. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SCHEMA_ONE = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
]);

/** A child task placeholder (`TaskRef`: only `id` and `type`, open), under a `children: true` property. */
const isTaskRef = (node: Json): boolean =>
  node.type === 'object' &&
  node.additionalProperties === true &&
  isObject(node.properties) &&
  Object.keys(node.properties).sort().join(',') === 'id,type';

/**
 * Deep copy as plain JSON: child tasks (below a `children: true` keyword) and conditions (`condition: true`)
 * become `$ref`s to their dispatching definitions; Baton's custom keywords are dropped (strict validators
 * reject unknown keywords); TypeBox's symbol keys vanish.
 */
const link = (node: unknown, inChildren = false): unknown => {
  if (Array.isArray(node)) return node.map((n) => link(n, inChildren));
  if (!isObject(node)) return node;
  if (node.condition === true) return REF.condition;
  const children = inChildren || node.children === true;
  if (children && isTaskRef(node)) return REF.task;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if ((customKeywords as readonly string[]).includes(k)) continue;
    if (SCHEMA_MAPS.has(k) && isObject(v)) {
      out[k] = Object.fromEntries(Object.entries(v).map(([name, s]) => [name, link(s, children)]));
    } else if (SCHEMA_LISTS.has(k) || SCHEMA_ONE.has(k)) {
      out[k] = link(v, children);
    } else out[k] = v;
  }
  return out;
};

const dispatch = (kinds: TaskKind[], required: string[]): Json => {
  const defs = listDefinitions().filter((d) => kinds.includes(d.kind));
  const names = defs.flatMap((d) => [d.type, ...(d.aliases ?? [])]);
  return {
    type: 'object',
    required,
    properties: { type: { type: 'string', enum: names } },
    allOf: defs.map((d) => ({
      if: { properties: { type: { enum: [d.type, ...(d.aliases ?? [])] } }, required: ['type'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if`/`then` keyword.
      then: { ...(link(fullSchemaOf(d)) as Json), title: d.title, description: d.description },
    })),
  };
};

/** Inputs may still use the pre-0.15 `name` instead of `id`. */
const inputDispatch = (): Json => ({
  type: 'object',
  required: ['type'],
  anyOf: [{ required: ['id'] }, { required: ['name'] }],
  properties: { type: { type: 'string', enum: [...INPUT_TYPES] } },
  allOf: INPUT_TYPES.map((t) => {
    const s = link(inputSchema(t)) as Json;
    const props = s.properties as Json;
    return {
      if: { properties: { type: { const: t } }, required: ['type'] },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's `if`/`then` keyword.
      then: {
        ...s,
        properties: {
          ...props,
          name: { ...(props.id as Json), deprecated: true, description: 'Old name of `id`.' },
        },
        required: ((s.required as string[]) ?? []).filter((r) => r !== 'id'),
      },
    };
  }),
});

const ofItems = (items: Json, extra: Json = {}): Json => ({ type: 'array', items, ...extra });

/** The JSON Schema of a flow document. */
export const flowJsonSchema = (): Json => {
  const root = link(FlowSchema) as Json;
  const p = root.properties as Json;
  const listener = ((p.listeners as Json).items as Json).properties as Json;
  listener.tasks = ofItems(REF.task, { minItems: 1 });
  listener.conditions = ofItems(REF.condition);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Baton flow',
    description: "A flow in Kestra's YAML flow language, as run by Baton.",
    ...root,
    properties: {
      ...p,
      inputs: ofItems(REF.input),
      tasks: ofItems(REF.task, { minItems: 1 }),
      errors: ofItems(REF.task),
      finally: ofItems(REF.task),
      afterExecution: ofItems(REF.task),
      triggers: ofItems(REF.trigger),
    },
    definitions: {
      task: dispatch(['runnable', 'flowable'], ['id', 'type']),
      trigger: dispatch(['trigger'], ['id', 'type']),
      condition: dispatch(['condition'], ['type']),
      input: inputDispatch(),
    },
  };
};
