/**
 * Turns a raw task (as written in the flow) into the props a runnable receives: renders the properties
 * its definition marks `dynamic: true` (recursing into objects and lists whose parts are dynamic), then
 * validates and coerces the result against the definition's schema ("5" becomes 5 for an integer).
 */
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import { isBuiltin, precompiledValidator } from '../flow/precompiled.ts';
import type { Task } from '../flow/types.ts';
import { TASK_COMMON_NAMES } from './common.ts';
import { customKeywords } from './schema.ts';
import type { TaskDefinition } from './types.ts';
import { TaskError } from './types.ts';

type Schema = Record<string, unknown>;

/**
 * Not the type's own: the common properties (id, retry, timeout... — the worker's), and `sourceType`, the
 * alias the author wrote (parse.ts keeps it for messages; it is no property of the task).
 */
const COMMON = new Set<string>([...TASK_COMMON_NAMES, 'sourceType']);

/** The type's own properties of a task. */
export const ownProperties = (task: Task): Record<string, unknown> =>
  Object.fromEntries(Object.entries(task).filter(([k]) => !COMMON.has(k)));

/** JSON types a schema accepts (its `type`, or those of its anyOf/oneOf branches); empty = anything. */
const acceptedTypes = (schema: Schema): Set<string> => {
  const out = new Set<string>();
  const add = (s: Schema) => {
    if (typeof s.type === 'string') out.add(s.type);
    else if (Array.isArray(s.type)) for (const t of s.type) out.add(String(t));
    for (const b of (s.anyOf ?? s.oneOf ?? []) as Schema[]) add(b);
  };
  add(schema);
  return out;
};

/**
 * Kestra renders a string property to a string: `message: "{{ inputs.obj }}"` logs the object as JSON.
 * Our renderer keeps the type of a lone `{{ }}` (needed for maps and lists), so an object or list that
 * lands where the schema wants a string is written back as JSON.
 */
const stringifyWhereString = (value: unknown, schema: Schema): unknown => {
  const types = acceptedTypes(schema);
  // A number or boolean where only a string (or anything, written as a template) is accepted is text too:
  // Kestra renders `count: "{{ x + 1 }}"` to "4", and flows compare it with '4'.
  if ((typeof value === 'number' || typeof value === 'boolean') && types.has('string')) {
    if (!types.has('number') && !types.has('integer') && !types.has('boolean')) return String(value);
  }
  if (value === null || typeof value !== 'object') return value;
  if (types.size === 0) return value;
  if (Array.isArray(value)) {
    if (types.has('array')) {
      const items = (schema.items ??
        ((schema.anyOf ?? schema.oneOf ?? []) as Schema[]).find((b) => b.type === 'array')?.items) as
        | Schema
        | undefined;
      return items ? value.map((v) => stringifyWhereString(v, items)) : value;
    }
  } else if (types.has('object')) return value;
  return types.has('string') ? JSON.stringify(value) : value;
};

const asText = (v: unknown): string =>
  typeof v === 'string'
    ? v
    : v === null || v === undefined
      ? ''
      : typeof v === 'object'
        ? JSON.stringify(v)
        : String(v);

const renderLeavesAsText = (value: unknown, render: (v: unknown) => unknown): unknown => {
  if (typeof value === 'string') return asText(render(value));
  if (Array.isArray(value)) return value.map((v) => renderLeavesAsText(v, render));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        asText(render(k)),
        renderLeavesAsText(v, render),
      ]),
    );
  }
  return value;
};

const renderBySchema = (
  value: unknown,
  schema: Schema | undefined,
  render: (v: unknown) => unknown,
): unknown => {
  if (!schema || value === undefined || value === null) return value;
  if (schema.children === true) return value; // child tasks are rendered when they run, not by their parent
  if (schema.dynamic === true) {
    // A map or list written in the flow: Kestra renders each string in it to a string.
    if (typeof value === 'object') return renderLeavesAsText(value, render);
    return stringifyWhereString(render(value), schema);
  }
  if (Array.isArray(value) && schema.items && typeof schema.items === 'object') {
    return value.map((v) => renderBySchema(v, schema.items as Schema, render));
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const extra =
      typeof schema.additionalProperties === 'object' ? (schema.additionalProperties as Schema) : undefined;
    const patterns = schema.patternProperties as Record<string, Schema> | undefined;
    const patternSchema = patterns ? Object.values(patterns)[0] : undefined;
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        renderBySchema(v, props[k] ?? extra ?? patternSchema, render),
      ]),
    );
  }
  // A union of non-dynamic branches: render through the first branch that declares dynamic parts.
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches?.some((b) => b.dynamic === true)) return render(value);
  return value;
};

/**
 * Renders the dynamic properties of `props`. `raw` names properties the runnable renders itself (with
 * extra variables, e.g. Count's `expression` sees `count`). Without a definition every property is
 * rendered, Kestra-style "everything is a template", so that a type whose definition is missing still runs.
 */
export const renderProps = (
  props: Record<string, unknown>,
  definition: TaskDefinition | undefined,
  render: (v: unknown) => unknown,
  raw: readonly string[] = [],
): Record<string, unknown> => {
  const schema = definition?.properties as Schema | undefined;
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const childProps = new Set([
    ...(definition?.children?.lists ?? []),
    ...(definition?.children?.maps ?? []),
    ...(definition?.children?.single ?? []),
  ]);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(props)) {
    if (raw.includes(key) || childProps.has(key)) out[key] = value;
    else if (!definition) out[key] = render(value);
    else out[key] = renderBySchema(value, properties[key], render);
  }
  return out;
};

/** The ajv of props; `precompile.ts` makes one with `extra` options to write the bundle's validators. */
export const propsAjv = (extra: Options = {}): Ajv => {
  const ajv = new Ajv({ strict: false, coerceTypes: true, useDefaults: true, allErrors: true, ...extra });
  for (const keyword of customKeywords) if (!ajv.getKeyword(keyword)) ajv.addKeyword(keyword);
  return ajv;
};

// Made on first compile only: the bundle ships the built-in types' validators precompiled.
let ajv: Ajv | undefined;
const validators = new WeakMap<object, ValidateFunction>();

const validatorOf = (definition: TaskDefinition): ValidateFunction => {
  const precompiled = isBuiltin(definition) && precompiledValidator(`props.${definition.type}`);
  if (precompiled) return precompiled;
  ajv ??= propsAjv();
  return ajv.compile(definition.properties as object);
};

/**
 * Validates rendered props in place (coercing scalars, filling defaults). A failure is a configuration
 * error: retrying the same flow cannot mend it, so the TaskError is not retryable.
 */
export const validateProps = (
  props: Record<string, unknown>,
  definition: TaskDefinition | undefined,
): void => {
  if (!definition) return;
  const schema = definition.properties as object;
  let validate = validators.get(schema);
  if (!validate) {
    validate = validatorOf(definition);
    validators.set(schema, validate);
  }
  if (validate(props)) return;
  const problems = (validate.errors ?? [])
    .filter((e) => e.keyword !== 'anyOf' && !(e.keyword === 'pattern' && e.params.pattern === '\\{\\{|\\{%'))
    .map(
      (e) => `${e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : '(task)'} ${e.message ?? ''}`,
    )
    .slice(0, 5);
  throw new TaskError(`invalid properties of ${definition.type} after rendering: ${problems.join('; ')}`, {
    retryable: false,
  });
};
