import { describe, expect, it } from 'vitest';
import { formatFlowError, parseFlow } from '../../src/flow/index.ts';
import { check, dedent, errorAt, FILE } from './helpers.ts';

describe('parseFlow', () => {
  it('reports YAML syntax errors with their position', () => {
    const { flow, errors } = parseFlow('id: f\nnamespace: [a\n', FILE);
    expect(flow).toBeUndefined();
    expect(errors[0]?.message).toMatch(/^YAML syntax/);
    expect(errors[0]?.file).toBe(FILE);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(2);
  });

  it('reports an unclosed quote where the string opens, not where the parser gave up', () => {
    const source = dedent(`
      id: f
      namespace: company.team
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
          message: "hello
        - id: u
          type: io.kestra.plugin.core.log.Log
          message: 'ok'
    `);
    const at = (src: string) => parseFlow(src, FILE).errors.map((e) => [e.line, e.column, e.message]);
    expect(at(source)).toEqual([
      [6, 14, expect.stringMatching(/^YAML syntax: Missing closing "quote.*starts here/)],
    ]);
    expect(at(source.replace('"hello', "'it''s"))[0]?.slice(0, 2)).toEqual([6, 14]);
    expect(at('id: f\nlabels: {a: "x, b: 1}\n')[0]?.slice(0, 2)).toEqual([2, 13]);
  });

  it('reports a duplicate key like Kestra, at the second key', () => {
    const { errors } = check(`
      id: f
      namespace: company.team
      tasks:
        - id: t
          type: io.kestra.plugin.core.debug.Return
          format: a
          format: b
    `);
    const e = errorAt(errors, 'tasks[0].format');
    expect(e?.message).toContain("Duplicate field 'format'");
    expect([e?.line, e?.column]).toEqual([7, 5]);
  });

  it('rejects a document that is not a map', () => {
    expect(parseFlow('- a\n- b\n', FILE).errors[0]?.message).toContain('must be a YAML map');
  });

  it('resolves aliases to canonical types and keeps the written one', () => {
    const { flow } = parseFlow(
      dedent(`
        id: f
        namespace: company.team
        tasks:
          - id: seq
            type: io.kestra.core.tasks.flows.Sequential
            tasks:
              - id: r
                type: io.kestra.core.tasks.debugs.Return
                format: x
        triggers:
          - id: s
            type: io.kestra.core.models.triggers.types.Schedule
            cron: "* * * * *"
      `),
      FILE,
    );
    const seq = flow?.tasks[0];
    expect(seq?.type).toBe('io.kestra.plugin.core.flow.Sequential');
    expect(seq?.sourceType).toBe('io.kestra.core.tasks.flows.Sequential');
    expect((seq?.tasks as { type: string }[] | undefined)?.[0]?.type).toBe(
      'io.kestra.plugin.core.debug.Return',
    );
    expect(flow?.triggers?.[0]?.type).toBe('io.kestra.plugin.core.trigger.Schedule');
  });

  it('reads null properties as absent and `name` as the id of an input', () => {
    const { flow } = parseFlow(
      'id: f\nnamespace: n\ninputs:\n  - name: a\n    type: STRING\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n    format: null\n',
      FILE,
    );
    expect(flow?.inputs?.[0]?.id).toBe('a');
    expect(flow?.tasks[0]).not.toHaveProperty('format');
  });

  it('applies pluginDefaults: written values win unless forced, maps are merged', () => {
    const { flow, errors } = check(`
      id: f
      namespace: company.team
      pluginDefaults:
        - type: io.kestra.plugin.core.log.Log
          values:
            level: WARN
            message: from defaults
        - type: io.kestra.plugin.core.log
          forced: true
          values:
            allowFailure: true
        - type: io.kestra.plugin.core.debug.Return
          values:
            format: default format
      tasks:
        - id: a
          type: io.kestra.core.tasks.log.Log
          message: written
        - id: b
          type: io.kestra.plugin.core.debug.Return
    `);
    expect(errors.map(formatFlowError)).toEqual([]);
    expect(flow?.tasks[0]).toMatchObject({ level: 'WARN', message: 'written', allowFailure: true });
    expect(flow?.tasks[1]).toMatchObject({ format: 'default format' });
  });
});
