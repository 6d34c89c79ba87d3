/** SELECT and MULTISELECT inputs whose allowed values come from an `expression` (Kestra RenderableInput). */
import { describe, expect, it } from 'vitest';
import { renderTyped } from '../../src/expression/index.ts';
import { type Flow, type Input, resolveInputs, selectValues } from '../../src/flow/index.ts';

const flowWith = (...inputs: Partial<Input>[]): Flow =>
  ({ id: 'f', namespace: 'n', tasks: [], inputs: inputs as Input[] }) as Flow;

const rendered: string[] = [];
const opts = {
  storeFile: () => 'kestra:///unused',
  // The real expression engine, with the inputs resolved so far as `inputs`.
  renderExpression: (expression: string, inputs: Record<string, unknown>) => {
    rendered.push(expression);
    return renderTyped(expression, { inputs, envs: { region: 'eu' } });
  },
};

const resolve = (inputs: Partial<Input>[], given: Record<string, unknown>) => {
  const r = resolveInputs(flowWith(...inputs), given, opts);
  return r.errors.length ? r.errors.map((e) => e.message) : r.values;
};

describe('SELECT / MULTISELECT expression', () => {
  const select = { id: 'x', type: 'SELECT' as const, expression: "{{ ['a', 'b'] }}" };

  it('accepts a value of the rendered list and rejects any other', () => {
    expect(resolve([select], { x: 'a' })).toEqual({ x: 'a' });
    expect(resolve([select], { x: 'c' })).toEqual([
      'Invalid input for `x`, it must match the values `[a, b]`, but received `c`',
    ]);
  });

  it('checks MULTISELECT items, and defaults, against the rendered list', () => {
    const multi = { id: 'x', type: 'MULTISELECT' as const, expression: "{{ ['a', 'b'] | merge(['c']) }}" };
    expect(resolve([multi], { x: ['a', 'c'] })).toEqual({ x: ['a', 'c'] });
    expect(resolve([multi], { x: ['a', 'z'] })).toEqual([
      'Invalid input for `x`, it must match the values `[a, b, c]`, but received `z`',
    ]);
    expect(resolve([{ ...select, defaults: 'z' }], {})).toEqual([
      'Invalid input for `x`, it must match the values `[a, b]`, but received `z`',
    ]);
  });

  it('sees the inputs declared before it and the context', () => {
    const inputs: Partial<Input>[] = [
      { id: 'env', type: 'STRING' },
      {
        id: 'server',
        type: 'SELECT',
        expression: "{{ inputs.env == 'prod' ? ['p1', 'p2'] : [envs.region ~ '-dev'] }}",
      },
    ];
    expect(resolve(inputs, { env: 'prod', server: 'p2' })).toEqual({ env: 'prod', server: 'p2' });
    expect(resolve(inputs, { env: 'test', server: 'eu-dev' })).toEqual({ env: 'test', server: 'eu-dev' });
    expect(resolve(inputs, { env: 'test', server: 'p1' })).toEqual([
      'Invalid input for `server`, it must match the values `[eu-dev]`, but received `p1`',
    ]);
  });

  it('never renders the value given by the user', () => {
    rendered.length = 0;
    expect(resolve([select], { x: "{{ 'a' }}" })).toEqual([
      "Invalid input for `x`, it must match the values `[a, b]`, but received `{{ 'a' }}`",
    ]);
    expect(rendered).toEqual(["{{ ['a', 'b'] }}"]);
  });

  it('reports an expression that fails or gives no list', () => {
    expect(resolve([{ ...select, expression: '{{ nope }}' }], { x: 'a' })).toEqual([
      expect.stringContaining('Invalid input for `x`, cannot render `expression`: Unable to find `nope`'),
    ]);
    expect(resolve([{ ...select, expression: "{{ 'a' }}" }], { x: 'a' })).toEqual([
      'Invalid input for `x`, `expression` must give a list of values, but gave string',
    ]);
  });

  it('lets any value through when custom values are allowed, without rendering', () => {
    rendered.length = 0;
    expect(resolve([{ ...select, allowCustomValue: true }], { x: 'zz' })).toEqual({ x: 'zz' });
    expect(rendered).toEqual([]);
  });

  it('offers the rendered list (what a form shows): nulls dropped, items as text', () => {
    const input = { ...select, expression: "{{ ['a', null, 1, true] }}" } as Input;
    expect(selectValues(input, (e) => renderTyped(e, {}))).toEqual(['a', '1', 'true']);
    expect(selectValues({ id: 'y', type: 'SELECT', values: ['v'] }, () => [])).toEqual(['v']);
  });
});
