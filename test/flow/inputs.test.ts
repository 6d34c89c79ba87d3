import { describe, expect, it } from 'vitest';
import { type Flow, type Input, resolveInputs } from '../../src/flow/index.ts';

const flowWith = (...inputs: Partial<Input>[]): Flow =>
  ({ id: 'f', namespace: 'n', tasks: [], inputs: inputs as Input[] }) as Flow;

const stored: { id: string; value: unknown }[] = [];
const opts = {
  storeFile: (id: string, value: unknown) => {
    stored.push({ id, value });
    return `kestra:///n/f/executions/e/inputs/${id}/file.txt`;
  },
};

/** Resolves one input, returning its value or the error message. */
const one = (input: Partial<Input>, value: unknown): unknown => {
  const r = resolveInputs(flowWith({ id: 'x', ...input }), value === undefined ? {} : { x: value }, opts);
  return r.errors.length ? r.errors[0]?.message : r.values.x;
};

describe('resolveInputs', () => {
  it('requires required inputs with Kestra’s message', () => {
    const r = resolveInputs(flowWith({ id: 'string', type: 'STRING' }), {}, opts);
    expect(r.errors).toEqual([
      { input: 'string', message: 'Invalid input for `string`, missing required input, but received `null`' },
    ]);
  });

  it('sets missing optional inputs to null and applies defaults', () => {
    const r = resolveInputs(
      flowWith(
        { id: 'opt', type: 'STRING', required: false },
        { id: 'when', type: 'DATETIME', defaults: '2013-08-09T14:19:00Z' },
        { id: 'empty', type: 'STRING', defaults: '', required: true },
        { id: 'expr', type: 'STRING', defaults: '{{ now() }}' },
      ),
      {},
      opts,
    );
    expect(r.errors).toEqual([]);
    expect(r.values).toEqual({ opt: null, when: '2013-08-09T14:19:00Z', empty: '', expr: '{{ now() }}' });
  });

  it('STRING and SECRET: validator must match the whole value', () => {
    expect(one({ type: 'STRING', validator: 'A\\d+' }, 'A12')).toBe('A12');
    expect(one({ type: 'STRING', validator: 'A\\d+' }, 'xA12')).toBe(
      'Invalid input for `x`, it must match the pattern `A\\d+`, but received `xA12`',
    );
    expect(one({ type: 'SECRET' }, 'secret')).toBe('secret');
    expect(one({ type: 'STRING' }, 42)).toBe('42');
  });

  it('INT and FLOAT: coerced from strings, bounded by min/max', () => {
    expect(one({ type: 'INT' }, '42')).toBe(42);
    expect(one({ type: 'INT' }, 42)).toBe(42);
    expect(one({ type: 'INT' }, '4.2')).toContain('it must be an integer');
    expect(one({ type: 'INT', min: 10, max: 20 }, '5')).toContain('it must be more than `10`');
    expect(one({ type: 'INT', min: 10, max: 20 }, '25')).toContain('it must be less than `20`');
    expect(one({ type: 'FLOAT' }, '42.42')).toBe(42.42);
    expect(one({ type: 'FLOAT', min: 0.1, max: 0.5 }, '0.7')).toContain('less than `0.5`');
    expect(one({ type: 'FLOAT' }, 'abc')).toContain('it must be a number');
  });

  it('INT is 32-bit as in Kestra: larger values are refused, never rounded', () => {
    expect(one({ type: 'INT' }, '2147483647')).toBe(2147483647);
    expect(one({ type: 'INT' }, '-2147483648')).toBe(-2147483648);
    for (const big of ['2147483648', '-2147483649', '9007199254740993', 12345678901]) {
      const message = one({ type: 'INT' }, big);
      expect(message).toContain('it must be an integer between -2147483648 and 2147483647');
      expect(message).toContain('STRING input');
      expect(message).toContain(`but received \`${big}\``);
    }
    expect(one({ type: 'ARRAY', itemType: 'INT' }, '[1, 3000000000]')).toContain('LONG-like');
  });

  it('BOOLEAN and BOOL', () => {
    expect(one({ type: 'BOOLEAN' }, 'true')).toBe(true);
    expect(one({ type: 'BOOLEAN' }, 'False')).toBe(false);
    expect(one({ type: 'BOOL' }, false)).toBe(false);
    expect(one({ type: 'BOOLEAN' }, 'yes')).toContain('`true` or `false`');
  });

  it('DATETIME, DATE, TIME with after/before', () => {
    expect(one({ type: 'DATETIME' }, '2013-08-09T14:19:00Z')).toBe('2013-08-09T14:19:00Z');
    expect(one({ type: 'DATETIME' }, '2013-08-09T16:19:00+02:00')).toBe('2013-08-09T14:19:00Z');
    expect(one({ type: 'DATETIME' }, '2013-08-09T14:19:00.123Z')).toBe('2013-08-09T14:19:00.123Z');
    expect(one({ type: 'DATETIME' }, '2013-08-09')).toContain('date-time');
    expect(one({ type: 'DATETIME', after: '2023-01-01T00:00:00Z' }, '2022-01-01T00:00:00Z')).toContain(
      'after',
    );
    expect(one({ type: 'DATE' }, '2024-02-29')).toBe('2024-02-29');
    expect(one({ type: 'DATE' }, '2023-02-29')).toContain('it must be a date');
    expect(one({ type: 'DATE', after: '2023-01-01', before: '2023-12-31' }, '2024-01-01')).toContain(
      'before',
    );
    expect(one({ type: 'TIME' }, '10:15:30')).toBe('10:15:30');
    expect(one({ type: 'TIME', after: '01:00:00', before: '11:59:59' }, '12:00')).toContain('before');
    expect(one({ type: 'TIME' }, '25:00')).toContain('time');
  });

  it('DURATION: normalised like Java, bounded by min/max', () => {
    expect(one({ type: 'DURATION' }, 'PT15S')).toBe('PT15S');
    expect(one({ type: 'DURATION' }, 'P1D')).toBe('PT24H');
    expect(one({ type: 'DURATION' }, 'PT90S')).toBe('PT1M30S');
    expect(one({ type: 'DURATION', min: 'PT10S', max: 'PT20S' }, 'PT30S')).toContain('less than `PT20S`');
    expect(one({ type: 'DURATION' }, '5 minutes')).toContain('ISO-8601');
  });

  it('JSON, YAML, URI, EMAIL', () => {
    expect(one({ type: 'JSON' }, '{"a":"b"}')).toEqual({ a: 'b' });
    expect(one({ type: 'JSON' }, { a: 1 })).toEqual({ a: 1 });
    expect(one({ type: 'JSON' }, '{a')).toContain('valid JSON');
    expect(one({ type: 'YAML' }, 'a: 1\nb: [x]')).toEqual({ a: 1, b: ['x'] });
    expect(one({ type: 'URI' }, 'https://kestra.io/docs')).toBe('https://kestra.io/docs');
    expect(one({ type: 'URI' }, 'not a uri')).toContain('valid URI');
    expect(one({ type: 'EMAIL' }, 'a@b.io')).toBe('a@b.io');
    expect(one({ type: 'EMAIL' }, 'nope')).toContain('email');
  });

  it('ENUM, SELECT, MULTISELECT: membership unless custom values are allowed', () => {
    expect(one({ type: 'ENUM', values: ['A', 'B'] }, 'A')).toBe('A');
    expect(one({ type: 'ENUM', values: ['A', 'B'] }, 'C')).toContain('it must match the values `[A, B]`');
    expect(one({ type: 'SELECT', values: ['A'], allowCustomValue: true }, 'Z')).toBe('Z');
    expect(one({ type: 'MULTISELECT', values: ['A', 'B'] }, '["A","B"]')).toEqual(['A', 'B']);
    expect(one({ type: 'MULTISELECT', options: ['A'] }, ['A', 'C'])).toContain('`[A]`');
  });

  it('ARRAY: from a JSON string, items coerced to itemType', () => {
    expect(one({ type: 'ARRAY', itemType: 'INT' }, '[1, "2", 3]')).toEqual([1, 2, 3]);
    expect(one({ type: 'ARRAY', itemType: 'INT' }, ['a'])).toContain('integer');
    expect(one({ type: 'ARRAY', itemType: 'STRING' }, 'x')).toContain('valid JSON array');
  });

  it('FILE: stored through the callback, kestra:// URIs kept', () => {
    expect(one({ type: 'FILE' }, '/tmp/data.csv')).toBe('kestra:///n/f/executions/e/inputs/x/file.txt');
    expect(stored.at(-1)).toEqual({ id: 'x', value: '/tmp/data.csv' });
    expect(one({ type: 'FILE' }, 'kestra:///a/b.txt')).toBe('kestra:///a/b.txt');
  });

  it('dotted ids give nested objects', () => {
    const r = resolveInputs(
      flowWith({ id: 'nested.more.int', type: 'INT' }, { id: 'nested.string', type: 'STRING' }),
      { 'nested.more.int': '123', 'nested.string': 's' },
      opts,
    );
    expect(r.values).toEqual({ nested: { more: { int: 123 }, string: 's' } });
  });
});

describe('resolveInputs: defaults written as expressions (Kestra 1.x)', () => {
  const render = (defaults: unknown, inputs: Record<string, unknown>) =>
    JSON.parse(JSON.stringify(defaults).replaceAll('{{ inputs.a }}', String(inputs.a)));

  it('renders them after the inputs they depend on, then coerces the result', () => {
    const flow = flowWith(
      { id: 'b', type: 'STRING', defaults: '{{ inputs.a }}-b', dependsOn: { inputs: ['a'] } },
      { id: 'a', type: 'INT', defaults: 4 },
      { id: 'n', type: 'INT', defaults: '{{ inputs.a }}', dependsOn: { inputs: ['a'] } },
    );
    const r = resolveInputs(flow, {}, { ...opts, renderDefault: render });
    expect(r.errors).toEqual([]);
    expect(r.values).toEqual({ a: 4, b: '4-b', n: 4 });
  });

  it('never renders a value given for the execution', () => {
    const seen: unknown[] = [];
    const r = resolveInputs(
      flowWith({ id: 'x', type: 'STRING', defaults: '{{ now() }}' }),
      { x: '{{ secret("KEY") }}' },
      { ...opts, renderDefault: (d) => seen.push(d) },
    );
    expect(r.values).toEqual({ x: '{{ secret("KEY") }}' });
    expect(seen).toEqual([]);
  });

  it('reports a default that cannot be rendered as an input error', () => {
    const r = resolveInputs(
      flowWith({ id: 'x', type: 'STRING', defaults: '{{ nope }}' }),
      {},
      {
        ...opts,
        renderDefault: () => {
          throw new Error('missing variable `nope`');
        },
      },
    );
    expect(r.errors).toEqual([
      {
        input: 'x',
        message: 'Invalid input for `x`, its defaults could not be rendered: missing variable `nope`',
      },
    ]);
  });
});
