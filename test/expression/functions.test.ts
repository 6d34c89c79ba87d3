import { describe, expect, it } from 'vitest';
import { type ExpressionServices, renderString, renderTyped } from '../../src/expression/index.ts';
import { ctx, fails, opts, typed } from './helpers.ts';

const kvStore: Record<string, unknown> = { 'company.team/k1': 'v1', 'other/k2': { a: 1 } };
const services: ExpressionServices = {
  ...opts.services,
  secret: (key) => {
    if (key === 'API_KEY') return 's3cr3t';
    throw new Error(`Secret ${key} not found`);
  },
  kv: (ns, key, { errorOnMissing }) => {
    const v = kvStore[`${ns}/${key}`];
    if (v === undefined && errorOnMissing) throw new Error(`No key ${key} in ${ns}`);
    return v ?? null;
  },
  read: (uri) => `content of ${uri}`,
  fileSize: (uri) => uri.length,
  errorLogs: () => [{ message: 'boom' }],
};
const withServices = { services };

describe('pure functions', () => {
  typed([
    ['{{ now() }}', '2024-01-02T03:04:05.678000Z'],
    ["{{ now(timeZone='Europe/Paris') }}", '2024-01-02T04:04:05.678000+01:00'],
    ["{{ now() | date('yyyy') }}", '2024'],
    ['{{ range(1, 3) }}', [1, 2, 3]],
    ['{{ range(0, 10, 5) }}', [0, 5, 10]],
    ['{{ range(3, 1, -1) }}', [3, 2, 1]],
    ['{{ max(1, 5, 3) }}', 5],
    ['{{ min(4, 2, 8) }}', 2],
    ['{{ max([1, 9]) }}', 9],
    ['{{ fromJson(\'{"a": [1]}\') }}', { a: [1] }],
    ["{{ json('[1, 2]') }}", [1, 2]],
    ['{{ fromJson(json).a }}', 1],
    ["{{ yaml('a: b') }}", { a: 'b' }],
    ['{{ uuid() | length }}', 36],
    ['{{ randomInt(5, 6) }}', 5],
    ['{{ randomInt(1, 10) < 10 }}', true],
  ]);
  it('uuid() gives a new time-ordered (v7) UUID each time, as Kestra 1.x', () => {
    const a = renderString('{{ uuid() }}', ctx);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(renderString('{{ uuid() }}', ctx)).not.toBe(a);
  });
  it('printContext() prints the context as JSON', () => {
    expect(JSON.parse(renderString('{{ printContext() }}', { a: { b: 1 } }))).toEqual({ a: { b: 1 } });
  });
  it('now() uses the real clock without a now service', () => {
    const year = String(new Date().getUTCFullYear());
    expect(renderString("{{ now() | date('yyyy') }}", {})).toBe(year);
  });
});

describe('render', () => {
  typed([
    ['{{ vars.tpl }}', '{{ 1 + 1 }}'],
    ['{{ render(vars.tpl) }}', '2'],
    ['{{ render(vars.nested) }}', '2'],
    ['{{ render(vars.nested, recursive=false) }}', '{{ 1 + 1 }}'],
    ['{{ renderOnce(vars.nested) }}', '{{ 1 + 1 }}'],
    ["{{ render('Hello {{ inputs.name }}') }}", 'Hello World'],
    ['{{ render(inputs.n) }}', 3],
    ['{{ render(inputs.nil) }}', null],
  ]);
  fails([
    ['{{ render(vars.self) }}', 'nested too deeply'],
    ["{{ render('{{ nope }}') }}", 'Unable to find `nope`'],
  ]);
});

describe('service-backed functions', () => {
  typed(
    [
      ["{{ secret('API_KEY') }}", 's3cr3t'],
      ["{{ kv('k1') }}", 'v1'],
      ["{{ kv('k2', 'other') }}", { a: 1 }],
      ["{{ kv('k2', namespace='other').a }}", 1],
      ["{{ kv('missing', errorOnMissing=false) }}", null],
      ["{{ read('kestra:///x.txt') }}", 'content of kestra:///x.txt'],
      ["{{ read(outputs['my-task'].uri) }}", 'content of kestra:///a/b.txt'],
      ["{{ fileSize('abc') }}", 3],
      ['{{ errorLogs()[0].message }}', 'boom'],
    ],
    ctx,
    withServices,
  );
  fails(
    [
      ["{{ secret('NOPE') }}", 'Secret NOPE not found'],
      ["{{ kv('missing') }}", 'No key missing in company.team'],
    ],
    ctx,
    withServices,
  );
  fails([
    ["{{ secret('API_KEY') }}", 'secret() is not available here'],
    ["{{ kv('k') }}", 'kv() is not available here'],
    ["{{ read('x') }}", 'read() is not available here'],
    ['{{ errorLogs() }}', 'errorLogs() is not available here'],
  ]);
  it('kv() without namespace and without flow fails clearly', () => {
    expect(() => renderString("{{ kv('k1') }}", {}, withServices)).toThrow('no namespace given');
  });
});

describe('currentEachOutput', () => {
  const out = {
    value: 'top',
    p1: { p0: { v2: { value: 'p1-p0-v2' } } },
  };
  it('walks parents outermost first, then the current value', () => {
    expect(renderTyped('{{ currentEachOutput(outputs.x).value }}', { ...ctx, outputs: { x: out } })).toBe(
      'p1-p0-v2',
    );
  });
  it('uses only taskrun.value without parents', () => {
    const c = { outputs: { t: { a: { value: 1 }, b: { value: 2 } } }, taskrun: { value: 'b' } };
    expect(renderTyped('{{ currentEachOutput(outputs.t).value }}', c)).toBe(2);
  });
  it('returns the output itself outside loops', () => {
    expect(renderTyped('{{ currentEachOutput(outputs.t).value }}', { outputs: { t: { value: 3 } } })).toBe(3);
  });
  it('reports the missing iteration', () => {
    const c = { outputs: { t: { a: {} } }, taskrun: { value: 'zz' } };
    expect(() => renderTyped('{{ currentEachOutput(outputs.t) }}', c)).toThrow('Unable to find `zz`');
  });
});

describe('function errors', () => {
  fails([
    ['{{ range(1) }}', 'missing argument `end`'],
    ['{{ range(1, 5, 0) }}', 'step must not be 0'],
    ['{{ randomInt(5, 5) }}', 'must be greater'],
    ['{{ max() }}', 'at least one value'],
    ["{{ now(timeZone='Nowhere/Land') }}", 'Unknown time zone'],
  ]);
});
