/**
 * The values a SELECT or MULTISELECT input offers when it has an `expression` (Kestra's RenderableInput):
 * the expression, written in the flow, is rendered to a list, which replaces `values`. The same list is
 * what a form should offer. Rendering is the caller's (it needs a render context and services); this
 * file stays pure. A value given by a user is never rendered.
 */
import { InputValueError } from './input-types.ts';
import type { Input } from './types.ts';

/** Renders a flow expression (`{{ }}`) to a typed value. */
export type RenderExpression = (expression: string) => unknown;

const typeOf = (v: unknown): string =>
  v === null || v === undefined
    ? 'null'
    : Array.isArray(v)
      ? 'a list'
      : typeof v === 'object'
        ? 'a map'
        : typeof v;

/** Whether `input` takes its values from an `expression`. */
export const hasValuesExpression = (input: Input): input is Input & { expression: string } =>
  (input.type === 'SELECT' || input.type === 'MULTISELECT') && typeof input.expression === 'string';

/**
 * The allowed values of `input`: its rendered `expression` when it has one (nulls dropped, items as text,
 * as Kestra), else its `values`. Throws InputValueError when the expression fails or gives no list.
 */
export const selectValues = (input: Input, render: RenderExpression): string[] | undefined => {
  if (!hasValuesExpression(input)) return input.values ?? input.options;
  let result: unknown;
  try {
    result = render(input.expression);
  } catch (e) {
    throw new InputValueError(`cannot render \`expression\`: ${(e as Error).message}`);
  }
  if (!Array.isArray(result))
    throw new InputValueError(`\`expression\` must give a list of values, but gave ${typeOf(result)}`);
  return result
    .filter((x) => x !== null && x !== undefined)
    .map((x) => (typeof x === 'string' ? x : typeof x === 'object' ? JSON.stringify(x) : String(x)));
};
