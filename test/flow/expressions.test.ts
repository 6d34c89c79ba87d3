/** Template syntax is checked when a flow is validated: file, line and column of the tag at fault. */
import { describe, expect, it } from 'vitest';
import { check, errorAt } from './helpers.ts';

describe('expression syntax in flow validation', () => {
  it('reports a broken template at its tag, in a quoted and in a block value', () => {
    const { flow, errors } = check(`
      id: f
      namespace: company.team
      tasks:
        - id: quoted
          type: io.kestra.plugin.core.log.Log
          message: "hello {{ foo( }}"
        - id: block
          type: io.kestra.plugin.core.log.Log
          message: |
            line one
            {{ 1 + }}
        - id: loop
          type: io.kestra.plugin.core.log.Log
          message: "{% for x in [1] %}{{ x }}"
    `);
    expect(flow).toBeUndefined();
    const quoted = errorAt(errors, 'tasks[0].message');
    expect([quoted?.line, quoted?.column]).toEqual([6, 21]);
    expect(quoted?.message).toMatch(/^Invalid expression: Unclosed tag: '\(' is never closed/);
    const block = errorAt(errors, 'tasks[1].message');
    expect([block?.line, block?.column]).toEqual([11, 7]);
    expect(block?.message).toContain('`{{ 1 + }}`');
    const loop = errorAt(errors, 'tasks[2].message');
    expect([loop?.line, loop?.column]).toEqual([14, 15]);
    expect(loop?.message).toContain('Missing {% endfor %}');
  });

  it('checks only the syntax: unknown names and functions wait for the run', () => {
    const { flow, errors } = check(`
      id: f
      namespace: company.team
      description: "docs may quote a broken {{ template( }}"
      variables:
        v: "{{ nothing.here | noSuchFilter }}"
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
          message: "{{ noSuchFunction(vars.v) }} {% raw %}{{ ( {% endraw %}"
    `);
    expect(errors).toEqual([]);
    expect(flow).toBeDefined();
  });

  it('checks pluginDefaults where they are written', () => {
    const { errors } = check(`
      id: f
      namespace: company.team
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
      pluginDefaults:
        - type: io.kestra.plugin.core.log.Log
          values:
            message: "{{ ] }}"
    `);
    expect(errors.map((e) => [e.path, e.line])).toEqual([['pluginDefaults[0].values.message', 9]]);
  });
});
