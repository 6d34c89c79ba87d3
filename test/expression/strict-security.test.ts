import { describe, expect, it } from 'vitest';
import {
  ExpressionError,
  evaluate,
  isTruthy,
  renderString,
  renderTyped,
  renderValue,
} from '../../src/expression/index.ts';
import { ctx, fails, typed } from './helpers.ts';

describe('strict mode (Kestra wording)', () => {
  it('names the missing attribute and quotes the expression as written', () => {
    expect(() => renderString('{{inputs.invalid}}', { inputs: {} })).toThrow(
      'Unable to find `invalid` used in the expression `{{inputs.invalid}}` at line 1',
    );
  });
  it('names the missing root', () => {
    expect(() => renderString('{{inputs.invalid}}', {})).toThrow(
      'Unable to find `inputs` used in the expression `{{inputs.invalid}}`',
    );
  });
  it('gives the line of the expression', () => {
    expect(() => renderString('a\nb\n{{ nope }}', {})).toThrow('`{{ nope }}` at line 3');
  });
  it('throws ExpressionError', () => {
    expect(() => renderString('{{ nope }}', {})).toThrow(ExpressionError);
  });
  fails([
    ['{{ nope }}', 'Unable to find `nope` used in the expression `{{ nope }}`'],
    ['{{ inputs.name.x }}', 'Unable to find `x`'],
    ['{{ inputs.list[7] }}', 'Unable to find `7`'],
    ["{{ outputs['other-task'].value }}", 'Unable to find `other-task`'],
    ['{% if nope %}x{% endif %}', 'Unable to find `nope` used in the expression `{% if nope %}`'],
    ['{% for x in nope %}{% endfor %}', 'Unable to find `nope`'],
    ['{% set x = nope %}', 'Unable to find `nope`'],
    ['{{ inputs.nil.x }}', 'Unable to find `x`'],
    ['{{ true and nope }}', 'Unable to find `nope`'],
    ['{{ inputs.nope is null }}', 'Unable to find `nope`'],
    ['{{ inputs.nope ??? nope }}', 'Unable to find `nope`'],
  ]);
});

describe('security', () => {
  fails([
    ['{{ inputs.__proto__ }}', 'not allowed'],
    ["{{ inputs['__proto__'] }}", 'not allowed'],
    ['{{ inputs.constructor }}', 'not allowed'],
    ['{{ inputs.name.constructor }}', 'not allowed'],
    ['{{ m.prototype }}', 'not allowed'],
    ["{{ inputs.list['constructor'] }}", 'Unable to find `constructor`'],
    ['{{ inputs.name.length }}', 'Unable to find `length`'],
    ['{{ inputs.list.length }}', 'Unable to find `length`'],
    ['{{ inputs.toString }}', 'Unable to find `toString`'],
    ['{{ inputs.hasOwnProperty }}', 'Unable to find `hasOwnProperty`'],
    ['{{ constructor }}', 'Unable to find `constructor`'],
    ['{{ __proto__ }}', 'Unable to find `__proto__`'],
    ['{{ toString() }}', "Unknown function 'toString'"],
    ["{{ {'__proto__': 1} }}", 'not allowed as a map key'],
    ['{{ inputs | constructor }}', "Unknown filter 'constructor'"],
    ['{{ 1 is constructor }}', "Unknown test 'constructor'"],
  ]);
  it('does not read properties of class instances', () => {
    expect(() => renderString('{{ d.getTime }}', { d: new Date(0) })).toThrow('Unable to find `getTime`');
  });
  it('never re-renders values', () => {
    const c = { inputs: { x: '{{ 1 + 1 }}', y: '{% for i in range(0, 10) %}x{% endfor %}' } };
    expect(renderString('{{ inputs.x }}', c)).toBe('{{ 1 + 1 }}');
    expect(renderTyped('{{ inputs.y }}', c)).toBe(c.inputs.y);
    expect(renderValue({ a: ['{{ inputs.x }}'] }, c)).toEqual({ a: ['{{ 1 + 1 }}'] });
  });
  it('does not let a JSON-parsed __proto__ key reach the prototype', () => {
    const c = JSON.parse('{"o": {"__proto__": {"polluted": 1}}}');
    expect(() => renderString('{{ o.__proto__ }}', c)).toThrow('not allowed');
    expect(() => renderString('{{ o.polluted }}', c)).toThrow('Unable to find `polluted`');
  });
  it('does not let set or for write to the prototype', () => {
    renderString('{% set __proto__ = 1 %}', {});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('limits', () => {
  fails([
    ['{% for i in range(1, 200000) %}{% endfor %}', 'Too many loop iterations'],
    ['{{ 1..1000000 }}', 'Too many loop iterations'],
    [
      '{% for i in range(1, 400) %}{% for j in range(1, 400) %}{% endfor %}{% endfor %}',
      'Too many loop iterations',
    ],
  ]);
  it('bounds the output size', () => {
    const c = { big: 'x'.repeat(1000) };
    expect(() =>
      renderString('{% for i in range(1, 100) %}{{ big }}{% endfor %}', c, {
        limits: { maxOutputLength: 10_000 },
      }),
    ).toThrow('Rendered output too large');
  });
  it('bounds the template length', () => {
    expect(() =>
      renderString(`{{ 1 }}${'x'.repeat(200)}`, {}, { limits: { maxTemplateLength: 100 } }),
    ).toThrow('Template too long');
  });
  it('bounds render() depth', () => {
    expect(() => renderString('{{ render(x) }}', { x: '{{ render(x) }}' })).toThrow('nested too deeply');
  });
  it('turns a deeply nested expression into an expression error', () => {
    const deep = `{{ ${'('.repeat(20000)}1${')'.repeat(20000)} }}`;
    expect(() => renderString(deep, {})).toThrow(ExpressionError);
  });
  it('shares the iteration budget with render()', () => {
    const c = { t: '{% for i in range(1, 60000) %}{% endfor %}' };
    expect(() => renderString('{{ render(t) }}{{ render(t) }}', c)).toThrow('Too many loop iterations');
  });
});

describe('typed rendering', () => {
  typed([
    ['{{ inputs.n }}', 3],
    ['  {{ inputs.n }}  ', 3],
    ['{{ inputs.list }}', [3, 1, 2]],
    ['{{ m }}', { a: 1, b: 'x', 'my-key': true }],
    ['{{ inputs.t }}', true],
    ['{{ inputs.nil }}', null],
    ['{{ inputs.n }}{{ inputs.n }}', '33'],
    ['n={{ inputs.n }}', 'n=3'],
    ['{{ inputs.n }} ', 3],
    ['no braces', 'no braces'],
    ['{% if true %}{{ inputs.n }}{% endif %}', '3'],
    ['{{ inputs.list | length > 2 }}', true],
  ]);
  it('renderValue renders deeply, keeps keys and non-strings', () => {
    expect(
      renderValue(
        { '{{ k }}': '{{ inputs.n }}', l: ['a{{ inputs.n }}', 5, null, { x: '{{ inputs.t }}' }], b: false },
        ctx,
      ),
    ).toEqual({ '{{ k }}': 3, l: ['a3', 5, null, { x: true }], b: false });
  });
  it('evaluate() takes a bare expression', () => {
    expect(evaluate('inputs.n * 2', ctx)).toBe(6);
    expect(evaluate("inputs.nope ?? 'd'", ctx)).toBe('d');
    expect(evaluate('[1, 2] | length', ctx)).toBe(2);
    expect(() => evaluate('inputs.nope', ctx)).toThrow(
      'Unable to find `nope` used in the expression `{{ inputs.nope }}`',
    );
    expect(() => evaluate('1 }} {{ 2', ctx)).toThrow(ExpressionError);
  });
});

describe('isTruthy', () => {
  it.each([
    [0, false],
    [-0, false],
    ['', false],
    [null, false],
    [undefined, false],
    [false, false],
    ['false', false],
    [[], false],
    [{}, false],
    [1, true],
    ['0', true],
    ['no', true],
    [[0], true],
    [{ a: 1 }, true],
    [true, true],
    [Number.NaN, false],
  ])('%j → %s', (v, expected) => {
    expect(isTruthy(v)).toBe(expected);
  });
});
