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

/** A default holding `{{ }}` is rendered by the engine when the execution starts; it is kept as written. */
const isExpression = (v: unknown): boolean => typeof v === 'string' && /\{\{|\{%/.test(v);

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

/**
 * Checks and coerces `given` against the flow's inputs. Undeclared values are ignored (as in Kestra).
 * Optional inputs without value are set to `null` so that expressions can test them.
 */
export const resolveInputs = (
  flow: Flow,
  given: Record<string, unknown>,
  opts: InputOptions,
): { values: Record<string, unknown>; errors: InputError[] } => {
  const values: Record<string, unknown> = {};
  const errors: InputError[] = [];
  for (const input of flow.inputs ?? []) {
    const id = input.id ?? (input.name as string | undefined);
    if (typeof id !== 'string') continue;
    let value = Object.hasOwn(given, id) ? given[id] : undefined;
    const fromDefaults = value === undefined || value === null;
    if (fromDefaults) value = input.defaults;
    if (value === undefined || value === null) {
      if (input.required !== false) {
        errors.push({
          input: id,
          message: `Invalid input for \`${id}\`, missing required input, but received \`null\``,
        });
      } else setNested(values, id, null);
      continue;
    }
    if (fromDefaults && isExpression(value)) {
      setNested(values, id, value);
      continue;
    }
    try {
      setNested(values, id, resolveOne({ ...input, id }, value, opts, values));
    } catch (e) {
      const message = e instanceof InputValueError ? e.message : `cannot be read: ${(e as Error).message}`;
      errors.push({ input: id, message: `Invalid input for \`${id}\`, ${message}` });
    }
  }
  return { values, errors };
};
