import { describe, expect, it } from 'vitest';
import { formatFlowError } from '../../src/flow/index.ts';
import { check, errorAt, messages } from './helpers.ts';

describe('validateFlow: schema of the document and of each task', () => {
  it('formats errors as file:line:col: path: message', () => {
    const out = messages(`
      id: f
      namespace: company.team
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
          message: hi
          retry:
            type: constant
            interval: PT1S
            maxAttempt: 0
    `);
    expect(out).toEqual(['flows/test.yaml:10:19: tasks[0].retry.maxAttempt: must be >= 1']);
  });

  it('accepts retry.maxAttempts (Kestra 1.x) and its alias maxAttempt, on tasks and on the flow', () => {
    const { errors } = check(`
      id: f
      namespace: company.team
      retry:
        type: constant
        interval: PT1S
        maxAttempts: 2
        behavior: CREATE_NEW_EXECUTION
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
          message: hi
          retry:
            type: exponential
            interval: PT1S
            maxInterval: PT10S
            maxAttempts: 3
        - id: u
          type: io.kestra.plugin.core.log.Log
          message: hi
          retry:
            type: constant
            interval: PT1S
            maxAttempt: 3
    `);
    expect(errors).toEqual([]);
    expect(
      messages(`
      id: f
      namespace: company.team
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
          message: hi
          retry:
            type: constant
            interval: PT1S
            maxAttempts: 0
    `),
    ).toEqual(['flows/test.yaml:10:20: tasks[0].retry.maxAttempts: must be >= 1']);
  });

  it('accepts allowConcurrent (Kestra 1.x) on any trigger, as a boolean', () => {
    const { errors } = check(`
      id: f
      namespace: company.team
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
          message: hi
      triggers:
        - id: upstream
          type: io.kestra.plugin.core.trigger.Flow
          allowConcurrent: true
          conditions:
            - type: io.kestra.plugin.core.condition.ExecutionFlow
              namespace: company.team
              flowId: other
        - id: hourly
          type: io.kestra.plugin.core.trigger.Schedule
          cron: "@hourly"
          allowConcurrent: false
    `);
    expect(errors).toEqual([]);
    expect(
      errorAt(
        check(`
      id: f
      namespace: company.team
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
          message: hi
      triggers:
        - id: hourly
          type: io.kestra.plugin.core.trigger.Schedule
          cron: "@hourly"
          allowConcurrent: sometimes
    `).errors,
        'triggers[0].allowConcurrent',
      ),
    ).toBeDefined();
  });

  it('reports an unknown property at its key, naming the type and suggesting a close name', () => {
    const { errors } = check(`
      id: f
      namespace: company.team
      tasks:
        - id: t
          type: io.kestra.plugin.core.debug.Return
          formt: x
    `);
    const e = errorAt(errors, 'tasks[0].formt');
    expect(e?.message).toContain('Unrecognized field "formt" for type io.kestra.plugin.core.debug.Return');
    expect(e?.message).toContain('did you mean "format"?');
    expect([e?.line, e?.column]).toEqual([6, 5]);
  });

  it('reports unknown top-level properties', () => {
    expect(
      messages(
        'id: f\nnamespace: n\nfoo: 1\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n',
      ),
    ).toEqual([
      'flows/test.yaml:3:1: foo: Unrecognized field "foo" (known: id, namespace, revision, description, labels, inputs, variables, tasks, errors, finally, afterExecution, triggers, outputs, concurrency, retry, sla, checks, pluginDefaults, taskDefaults, disabled, deleted, workerGroup, listeners)',
    ]);
  });

  it('requires id, namespace and non-empty tasks', () => {
    const out = messages('description: nothing\n');
    expect(out).toContain('flows/test.yaml:1:1: id: must not be null (required property)');
    expect(out).toContain('flows/test.yaml:1:1: namespace: must not be null (required property)');
    expect(out).toContain('flows/test.yaml:1:1: tasks: must not be empty');
    expect(messages('id: f\nnamespace: n\ntasks: []\n')).toEqual([
      'flows/test.yaml:3:8: tasks: must not be empty',
    ]);
  });

  it('checks flow, namespace and task ids against Kestra patterns', () => {
    const { errors } = check(`
      id: my#flow
      namespace: MY.NS
      tasks:
        - id: bad.id
          type: io.kestra.plugin.core.debug.Return
    `);
    expect(errorAt(errors, 'id')?.message).toBe('must match "^[a-zA-Z0-9][a-zA-Z0-9._-]*$"');
    expect(errorAt(errors, 'namespace')?.message).toBe('must match "^[a-z0-9][a-z0-9._-]*$"');
    expect(errorAt(errors, 'tasks[0].id')?.message).toBe('must match "^[a-zA-Z0-9][a-zA-Z0-9_-]*$"');
  });

  it('reports unknown task, trigger and condition types, and a type of the wrong kind', () => {
    const { errors } = check(`
      id: f
      namespace: n
      tasks:
        - id: t
          type: io.kestra.plugin.core.debug.Missing
        - id: s
          type: io.kestra.plugin.core.trigger.Schedule
          cron: "* * * * *"
      triggers:
        - id: tr
          type: io.kestra.plugin.core.trigger.Nope
        - id: flow
          type: io.kestra.plugin.core.trigger.Flow
          conditions:
            - type: io.kestra.plugin.core.condition.Nope
    `);
    expect(errorAt(errors, 'tasks[0].type')?.message).toContain(
      'Invalid type: io.kestra.plugin.core.debug.Missing',
    );
    expect(errorAt(errors, 'tasks[1].type')?.message).toContain('is a trigger, not a task');
    expect(errorAt(errors, 'triggers[0].type')?.message).toContain(
      'Invalid type: io.kestra.plugin.core.trigger.Nope',
    );
    expect(errorAt(errors, 'triggers[1].conditions[0].type')?.message).toContain(
      'Invalid type: io.kestra.plugin.core.condition.Nope',
    );
    const missing = check('id: f\nnamespace: n\ntasks:\n  - id: t\n').errors;
    expect(missing.map(formatFlowError)).toEqual([
      "flows/test.yaml:4:5: tasks[0]: Invalid type: null (missing type id property 'type'); add `type: <type name>`",
    ]);
  });

  it('reports wrong types and enum values with the expected form', () => {
    const { errors } = check(`
      id: f
      namespace: n
      concurrency:
        limit: 0
        behavior: WAIT
      tasks:
        - id: t
          type: io.kestra.plugin.core.log.Log
          message: hi
          level: LOUD
          timeout: 5 minutes
          disabled: maybe
    `);
    expect(errorAt(errors, 'concurrency.limit')?.message).toBe('must be >= 1');
    expect(errorAt(errors, 'concurrency.behavior')?.message).toContain('must be one of QUEUE, CANCEL, FAIL');
    expect(errorAt(errors, 'tasks[0].level')?.message).toContain(
      'must be one of TRACE, DEBUG, INFO, WARN, ERROR',
    );
    expect(errorAt(errors, 'tasks[0].timeout')?.message).toContain('ISO-8601 duration');
    expect(errorAt(errors, 'tasks[0].disabled')?.message).toBe('must be a boolean');
    const e = errorAt(errors, 'tasks[0].timeout');
    expect([e?.line, e?.column]).toEqual([11, 14]);
  });

  it('names the discriminator of a tagged union (retry policies)', () => {
    const out = messages(
      'id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: x\n    retry:\n      type: weird\n',
    );
    expect(out).toEqual([
      'flows/test.yaml:8:13: tasks[0].retry.type: must be one of constant, exponential, random',
    ]);
  });

  it('reports empty task lists of nested tasks', () => {
    const { errors } = check(`
      id: f
      namespace: n
      tasks:
        - id: p
          type: io.kestra.plugin.core.flow.Parallel
          tasks: []
        - id: s
          type: io.kestra.plugin.core.flow.Sequential
    `);
    expect(errorAt(errors, 'tasks[0].tasks')?.message).toBe('must not be empty');
    expect(errorAt(errors, 'tasks[1].tasks')?.message).toBe('must not be empty');
  });

  it('accepts workerGroup on a task (a Baton feature)', () => {
    expect(
      messages(
        'id: f\nnamespace: n\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.debug.Return\n    workerGroup:\n      key: gpu\n',
      ),
    ).toEqual([]);
  });

  it('reports every error of a file at once, sorted by position', () => {
    const { errors, flow } = check(`
      id: f
      namespace: n
      tasks:
        - id: a
          type: io.kestra.plugin.core.debug.Return
          bad: 1
        - id: a
          type: io.kestra.plugin.core.debug.Nope
    `);
    expect(flow).toBeUndefined();
    expect(errors.length).toBe(3);
    expect(errors.map((e) => e.line)).toEqual([...errors.map((e) => e.line)].sort((x, y) => x - y));
  });
});
