/**
 * Execution inputs: the values given for a new execution, checked and coerced against the flow's input
 * declarations (Kestra 0.21 rules), defaults applied, dotted ids turned into nested objects
 * (`nested.more.int` → `inputs.nested.more.int`). Pure: files are stored through `storeFile`.
 */
import { coerceInput, InputValueError } from './input-types.ts';
import { hasValuesExpression, selectValues } from './select-values.ts';
import type { Flow, Input } from './types.ts';

export interface InputOptions {
  /**
   * Stores a FILE input (a local path, a Buffer, or whatever the caller accepts) and returns its internal
   * storage URI (`kestra:///...`). Values already given as `kestra://` URIs are kept as they are.
   */
  storeFile(inputId: string, value: unknown, filename?: string): string;
  /**
   * Renders a `defaults` written as an expression (Kestra 1.x), with `inputs` holding the inputs named
   * in the input's `dependsOn.inputs` (resolved first). Without it such defaults are kept as written.
   * Only the flow author's defaults go through it, never a value given for the execution.
   */
  renderDefault?(defaults: unknown, inputs: Record<string, unknown>): unknown;
  /**
   * Renders the `expression` of a SELECT/MULTISELECT input (see select-values.ts), with the inputs
   * resolved so far (those declared before it). Without it, the values of such inputs are not checked.
   */
  renderExpression?(expression: string, inputs: Record<string, unknown>): unknown;
}

/** One rejected input; `message` is Kestra's wording: "Invalid input for `id`, ...". */
export interface InputError {
  input: string;
  message: string;
}

/** Whether a default holds `{{ }}` or `{% %}` (anywhere in a list or map). */
const isExpression = (v: unknown): boolean => {
  if (typeof v === 'string') return /\{\{|\{%/.test(v);
  if (Array.isArray(v)) return v.some(isExpression);
  if (v && typeof v === 'object') return Object.values(v).some(isExpression);
  return false;
};

const setNested = (target: Record<string, unknown>, id: string, value: unknown): void => {
  const parts = id.split('.');
  let cur = target;
  for (const part of parts.slice(0, -1)) {
    const next = cur[part];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1] as string] = value;
};

const resolveOne = (
  input: Input,
  given: unknown,
  opts: InputOptions,
  resolved: Record<string, unknown>,
): unknown => {
  if (input.type === 'FILE') {
    if (typeof given === 'string' && given.startsWith('kestra://')) return given;
    return opts.storeFile(input.id, given);
  }
  // An `expression` gives the allowed values; with custom values allowed they are only an offer.
  const render = opts.renderExpression;
  if (hasValuesExpression(input) && render && !input.allowCustomValue) {
    const values = selectValues(input, (expression) => render(expression, resolved));
    return coerceInput({ ...input, values, options: undefined }, input.type, given);
  }
  return coerceInput(input, input.type, given);
};

const idOf = (input: Input): string | undefined => {
  const id = input.id ?? (input.name as string | undefined);
  return typeof id === 'string' ? id : undefined;
};

/**
 * Checks and coerces `given` against the flow's inputs. Undeclared values are ignored (as in Kestra).
 * Optional inputs without value are set to `null` so that expressions can test them. An expression
 * default is rendered after the inputs it depends on (`dependsOn.inputs`), as Kestra 1.x does.
 */
export const resolveInputs = (
  flow: Flow,
  given: Record<string, unknown>,
  opts: InputOptions,
): { values: Record<string, unknown>; errors: InputError[] } => {
  const values: Record<string, unknown> = {};
  const errors: InputError[] = [];
  const byId = new Map<string, Input>();
  for (const input of flow.inputs ?? []) {
    const id = idOf(input);
    if (id !== undefined && !byId.has(id)) byId.set(id, input);
  }
  /** Resolved values by id (`undefined`: rejected); `null` while being resolved (a dependency cycle). */
  const resolved = new Map<string, { value: unknown } | null | undefined>();

  const resolve = (id: string, input: Input): { value: unknown } | undefined => {
    if (resolved.has(id)) return resolved.get(id) ?? undefined;
    resolved.set(id, null);
    const r = resolveValue(id, input);
    resolved.set(id, r);
    if (r) setNested(values, id, r.value);
    return r;
  };

  const reject = (id: string, message: string): undefined => {
    errors.push({ input: id, message: `Invalid input for \`${id}\`, ${message}` });
    return undefined;
  };

  const resolveValue = (id: string, input: Input): { value: unknown } | undefined => {
    let value = Object.hasOwn(given, id) ? given[id] : undefined;
    const fromDefaults = value === undefined || value === null;
    if (fromDefaults) value = input.defaults;
    if (fromDefaults && isExpression(value) && opts.renderDefault) {
      const deps: Record<string, unknown> = {};
      for (const dep of input.dependsOn?.inputs ?? []) {
        const depInput = byId.get(dep);
        if (dep === id || !depInput) continue;
        const r = resolve(dep, depInput);
        if (r) setNested(deps, dep, r.value);
      }
      try {
        value = opts.renderDefault(value, deps);
      } catch (e) {
        return reject(id, `its defaults could not be rendered: ${(e as Error).message}`);
      }
    } else if (fromDefaults && isExpression(value)) return { value };
    if (value === undefined || value === null) {
      if (input.required !== false) return reject(id, 'missing required input, but received `null`');
      return { value: null };
    }
    try {
      return { value: resolveOne({ ...input, id }, value, opts, values) };
    } catch (e) {
      const message = e instanceof InputValueError ? e.message : `cannot be read: ${(e as Error).message}`;
      return reject(id, message);
    }
  };

  for (const [id, input] of byId) resolve(id, input);
  return { values, errors };
};
