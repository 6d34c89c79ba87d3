/** Shared context and table runners for the expression tests. */
import { expect, it } from 'vitest';
import {
  type RenderContext,
  type RenderOptions,
  renderString,
  renderTyped,
} from '../../src/expression/index.ts';

export const ctx: RenderContext = {
  inputs: {
    name: 'World',
    n: 3,
    f: 2.5,
    zero: 0,
    list: [3, 1, 2],
    empty: [],
    emptyMap: {},
    nil: null,
    t: true,
  },
  outputs: { 'my-task': { value: 'v', uri: 'kestra:///a/b.txt' }, t1: { vars: { a: { b: 'deep' } } } },
  vars: { greeting: 'Hi', tpl: '{{ 1 + 1 }}', nested: '{{ vars.tpl }}', self: '{{ render(vars.self) }}' },
  flow: { id: 'f', namespace: 'company.team' },
  execution: { id: 'exec1', startDate: '2024-03-15T10:20:30.123Z' },
  taskrun: { value: 'v2' },
  parents: [{ taskrun: { value: 'p0' } }, { taskrun: { value: 'p1' } }],
  labels: { env: 'prod' },
  m: { a: 1, b: 'x', 'my-key': true },
  s: 'Hello World',
  json: '{"a":1,"b":[1,2]}',
};

export const opts: RenderOptions = { services: { now: () => new Date('2024-01-02T03:04:05.678Z') } };

/** [template, expected output] rendered as a string. */
export function renders(cases: [string, string][], c: RenderContext = ctx, o: RenderOptions = opts): void {
  it.each(cases)('%s', (tpl, expected) => {
    expect(renderString(tpl, c, o)).toBe(expected);
  });
}

/** [template, expected value] rendered with types. */
export function typed(cases: [string, unknown][], c: RenderContext = ctx, o: RenderOptions = opts): void {
  it.each(cases)('%s', (tpl, expected) => {
    expect(renderTyped(tpl, c, o)).toEqual(expected);
  });
}

/** [template, substring of the expected error message]. */
export function fails(cases: [string, string][], c: RenderContext = ctx, o: RenderOptions = opts): void {
  it.each(cases)('%s', (tpl, message) => {
    expect(() => renderString(tpl, c, o)).toThrow(message);
  });
}
