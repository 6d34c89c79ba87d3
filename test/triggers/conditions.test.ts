/** Each condition type of Flow triggers, tested on its own against an ended execution. */
import { describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import type { Condition } from '../../src/flow/types.ts';
import {
  type ConditionContext,
  testCondition,
  triggerVariables,
  upstreamContext,
} from '../../src/triggers/index.ts';
import { at, ended, flowOf, taskRun } from './helpers.ts';

const C = 'io.kestra.plugin.core.condition.';
const downstream = flowOf(
  'id: down\nnamespace: company.team\ntasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n',
);

const ctxOf = (e: Execution, now = at('2024-06-03T10:00:00Z')): ConditionContext => ({
  execution: e,
  flow: downstream,
  variables: upstreamContext(downstream, e, { ...triggerVariables(e), date: new Date(now).toISOString() }),
  now,
});
const test = (c: Omit<Condition, 'type'> & { type: string }, e = ended('company.team', 'up'), now?: number) =>
  testCondition(c as Condition, ctxOf(e, now));

describe('execution conditions', () => {
  it('ExecutionFlow matches namespace and flow id', () => {
    expect(test({ type: `${C}ExecutionFlow`, namespace: 'company.team', flowId: 'up' })).toBe(true);
    expect(test({ type: `${C}ExecutionFlow`, namespace: 'company.team', flowId: 'other' })).toBe(false);
    expect(test({ type: `${C}ExecutionFlow`, namespace: 'company', flowId: 'up' })).toBe(false);
  });

  it('ExecutionNamespace: EQUALS by default, PREFIX, SUFFIX, deprecated prefix: true', () => {
    const t = `${C}ExecutionNamespace`;
    expect(test({ type: t, namespace: 'company.team' })).toBe(true);
    expect(test({ type: t, namespace: 'company' })).toBe(false);
    expect(test({ type: t, namespace: 'company', comparison: 'PREFIX' })).toBe(true);
    expect(test({ type: t, namespace: 'company', prefix: true })).toBe(true);
    expect(test({ type: t, namespace: 'team', comparison: 'SUFFIX' })).toBe(true);
    expect(test({ type: t, namespace: 'company', comparison: 'SUFFIX' })).toBe(false);
  });

  it('ExecutionStatus: in and notIn', () => {
    const t = `${C}ExecutionStatus`;
    expect(test({ type: t, in: ['SUCCESS', 'WARNING'] })).toBe(true);
    expect(test({ type: t, in: ['FAILED'] })).toBe(false);
    expect(test({ type: t, notIn: ['SUCCESS'] })).toBe(false);
    expect(test({ type: t, notIn: ['FAILED'] }, ended('a', 'b', 'WARNING'))).toBe(true);
  });

  it('ExecutionLabels: all labels, as a map or a list', () => {
    const e = ended('a', 'b', 'SUCCESS', {
      labels: [
        { key: 'env', value: 'prod' },
        { key: 'team', value: 'x' },
      ],
    });
    expect(test({ type: `${C}ExecutionLabels`, labels: { env: 'prod' } }, e)).toBe(true);
    expect(
      test(
        {
          type: `${C}ExecutionLabels`,
          labels: [
            { key: 'env', value: 'prod' },
            { key: 'team', value: 'x' },
          ],
        },
        e,
      ),
    ).toBe(true);
    expect(test({ type: `${C}ExecutionLabels`, labels: { env: 'dev' } }, e)).toBe(false);
  });

  it('ExecutionOutputs: expression on trigger.outputs; false without flow outputs', () => {
    const t = `${C}ExecutionOutputs`;
    const e = ended('a', 'b', 'SUCCESS', { outputs: { result: 'ok' } });
    expect(test({ type: t, expression: "{{ trigger.outputs.result == 'ok' }}" }, e)).toBe(true);
    expect(test({ type: t, expression: "{{ trigger.outputs.result == 'ko' }}" }, e)).toBe(false);
    expect(test({ type: t, expression: '{{ true }}' })).toBe(false);
  });

  it('Expression: rendered truthy, with the upstream context', () => {
    const e = ended('company.team', 'up');
    e.taskRuns = [taskRun(e, 'only', { value: 'x' })];
    expect(test({ type: `${C}Expression`, expression: "{{ outputs.only.value == 'x' }}" }, e)).toBe(true);
    expect(
      test({ type: `${C}Expression`, expression: "{{ trigger.flowId == 'up' and flow.id == 'down' }}" }, e),
    ).toBe(true);
    expect(test({ type: `${C}Expression`, expression: '{{ false }}' }, e)).toBe(false);
  });

  it('an upstream value is never rendered as a template', () => {
    const e = ended('a', 'b', 'SUCCESS', { outputs: { evil: '{{ 1 + 1 }}' } });
    expect(
      test({ type: `${C}ExecutionOutputs`, expression: "{{ trigger.outputs.evil == '{{ 1 + 1 }}' }}" }, e),
    ).toBe(true);
  });

  it('HasRetryAttempt: a task run with several attempts, one in the states', () => {
    const e = ended('a', 'b');
    const failed = { state: { current: 'FAILED' as const, startDate: 'x', histories: [] } };
    const ok = { state: { current: 'SUCCESS' as const, startDate: 'x', histories: [] } };
    e.taskRuns = [taskRun(e, 't', undefined, { attempts: [failed, ok] })];
    expect(test({ type: `${C}HasRetryAttempt`, in: ['FAILED'] }, e)).toBe(true);
    expect(test({ type: `${C}HasRetryAttempt`, in: ['KILLED'] }, e)).toBe(false);
    e.taskRuns = [taskRun(e, 't', undefined, { attempts: [failed] })];
    expect(test({ type: `${C}HasRetryAttempt`, in: ['FAILED'] }, e)).toBe(false);
  });
});

describe('date conditions (date defaults to the evaluation time)', () => {
  const monday = at('2024-06-03T10:00:00Z');
  it('DayWeek, Weekend', () => {
    expect(test({ type: `${C}DayWeek`, dayOfWeek: 'MONDAY' }, undefined, monday)).toBe(true);
    expect(test({ type: `${C}DayWeek`, dayOfWeek: 'TUESDAY' }, undefined, monday)).toBe(false);
    expect(test({ type: `${C}Weekend` }, undefined, monday)).toBe(false);
    expect(test({ type: `${C}Weekend`, date: '2024-06-02T23:30:00Z' })).toBe(true);
    // The day is read in the date's own offset: Sunday 23:30 UTC is Monday in +02:00.
    expect(test({ type: `${C}DayWeek`, dayOfWeek: 'MONDAY', date: '2024-06-03T01:30:00+02:00' })).toBe(true);
  });

  it('DayWeekInMonth: FIRST, SECOND, LAST', () => {
    const t = `${C}DayWeekInMonth`;
    expect(test({ type: t, dayOfWeek: 'MONDAY', dayInMonth: 'FIRST' }, undefined, monday)).toBe(true);
    expect(test({ type: t, dayOfWeek: 'MONDAY', dayInMonth: 'SECOND' }, undefined, monday)).toBe(false);
    expect(test({ type: t, dayOfWeek: 'FRIDAY', dayInMonth: 'LAST', date: '2024-05-31T12:00:00Z' })).toBe(
      true,
    );
    expect(test({ type: t, dayOfWeek: 'FRIDAY', dayInMonth: 'FOURTH', date: '2024-05-24T12:00:00Z' })).toBe(
      true,
    );
    expect(test({ type: t, dayOfWeek: 'FRIDAY', dayInMonth: 'LAST', date: '2024-05-24T12:00:00Z' })).toBe(
      false,
    );
  });

  it('DateTimeBetween and TimeBetween (strict bounds)', () => {
    expect(
      test(
        { type: `${C}DateTimeBetween`, after: '2024-01-01T00:00:00Z', before: '2025-01-01T00:00:00Z' },
        undefined,
        monday,
      ),
    ).toBe(true);
    expect(test({ type: `${C}DateTimeBetween`, before: '2024-06-03T10:00:00Z' }, undefined, monday)).toBe(
      false,
    );
    expect(test({ type: `${C}TimeBetween`, after: '09:00:00', before: '18:00:00' }, undefined, monday)).toBe(
      true,
    );
    expect(test({ type: `${C}TimeBetween`, after: '11:00:00' }, undefined, monday)).toBe(false);
    expect(test({ type: `${C}TimeBetween`, after: '11:00:00+02:00' }, undefined, monday)).toBe(true);
  });
});

describe('logic conditions', () => {
  const weekend = { type: `${C}Weekend` };
  const monday = { type: `${C}DayWeek`, dayOfWeek: 'MONDAY' };
  it('Not holds when none holds; Or when one holds', () => {
    const now = at('2024-06-03T10:00:00Z');
    expect(test({ type: `${C}Not`, conditions: [weekend] }, undefined, now)).toBe(true);
    expect(test({ type: `${C}Not`, conditions: [weekend, monday] }, undefined, now)).toBe(false);
    expect(test({ type: `${C}Or`, conditions: [weekend, monday] }, undefined, now)).toBe(true);
    expect(test({ type: `${C}Or`, conditions: [weekend] }, undefined, now)).toBe(false);
  });

  it('aliases resolve; unknown types and bad properties throw', () => {
    expect(
      test({
        type: 'io.kestra.core.models.conditions.types.ExecutionFlowCondition',
        namespace: 'company.team',
        flowId: 'up',
      }),
    ).toBe(true);
    expect(() => test({ type: 'io.example.Nope' })).toThrow(/not supported/);
    expect(() => test({ type: `${C}DayWeek`, dayOfWeek: 'FUNDAY' })).toThrow(/day of the week/);
  });
});
