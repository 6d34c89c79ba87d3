/** evaluateFlowTriggers: filtering, trigger variables, inputs, preconditions and their windows. */
import { describe, expect, it } from 'vitest';
import {
  computeWindow,
  evaluateFlowTriggers,
  type MultipleConditionState,
} from '../../src/triggers/index.ts';
import { at, ended, flowOf, taskRun } from './helpers.ts';

const NOW = at('2024-06-03T10:00:00Z');
const TASKS = 'tasks:\n  - id: t\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n';
const down = (triggers: string, extra = '') =>
  flowOf(`id: down\nnamespace: company.team\n${extra}${TASKS}triggers:\n${triggers}`);
const simple = `  - id: on_up
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: company.team
        flowId: up
`;
const fired = (r: { toStart: { flow: { id: string } }[] }) => r.toStart.map((s) => s.flow.id);

describe('which flows fire', () => {
  it('terminal states by default; `states` narrows them', () => {
    const f = down(simple);
    expect(fired(evaluateFlowTriggers(ended('company.team', 'up', 'FAILED'), [f], {}, NOW))).toEqual([
      'down',
    ]);
    expect(fired(evaluateFlowTriggers(ended('company.team', 'up', 'RUNNING'), [f], {}, NOW))).toEqual([]);
    expect(fired(evaluateFlowTriggers(ended('company.team', 'up', 'PAUSED'), [f], {}, NOW))).toEqual([]);
    const onlyPaused = down(`${simple}    states: [PAUSED]\n`);
    expect(fired(evaluateFlowTriggers(ended('company.team', 'up', 'PAUSED'), [onlyPaused], {}, NOW))).toEqual(
      ['down'],
    );
    expect(
      fired(evaluateFlowTriggers(ended('company.team', 'up', 'SUCCESS'), [onlyPaused], {}, NOW)),
    ).toEqual([]);
  });

  it('disabled flows, disabled triggers and deleted flows never fire', () => {
    const e = ended('company.team', 'up');
    expect(fired(evaluateFlowTriggers(e, [down(simple, 'disabled: true\n')], {}, NOW))).toEqual([]);
    expect(fired(evaluateFlowTriggers(e, [down(`${simple}    disabled: true\n`)], {}, NOW))).toEqual([]);
    expect(fired(evaluateFlowTriggers(e, [{ ...down(simple), deleted: true }], {}, NOW))).toEqual([]);
  });

  it('a flow never triggers itself', () => {
    const any = down('  - id: any\n    type: io.kestra.plugin.core.trigger.Flow\n');
    expect(fired(evaluateFlowTriggers(ended('company.team', 'down'), [any], {}, NOW))).toEqual([]);
    expect(fired(evaluateFlowTriggers(ended('company.team', 'other'), [any], {}, NOW))).toEqual(['down']);
  });

  it('other trigger types are ignored; each Flow trigger of a flow fires on its own', () => {
    const f = down(
      `${simple}  - id: second\n    type: io.kestra.plugin.core.trigger.Flow\n  - id: cron\n    type: io.kestra.plugin.core.trigger.Schedule\n    cron: "0 * * * *"\n`,
    );
    const r = evaluateFlowTriggers(ended('company.team', 'up'), [f], {}, NOW);
    expect(r.toStart.map((s) => s.trigger.id)).toEqual(['on_up', 'second']);
  });

  it('a condition that fails to evaluate counts as false and is reported', () => {
    const f = down(
      `  - id: bad\n    type: io.kestra.plugin.core.trigger.Flow\n    conditions:\n      - type: io.kestra.plugin.core.condition.Expression\n        expression: "{{ nope.missing }}"\n`,
    );
    const r = evaluateFlowTriggers(ended('company.team', 'up'), [f], {}, NOW);
    expect(r.toStart).toEqual([]);
    expect(r.warnings[0]).toMatch(/company\.team\.down trigger bad: condition .*Expression/);
  });
});

describe('trigger variables and inputs', () => {
  it('inputs render with trigger variables, upstream outputs and trigger.outputs', () => {
    const f = down(`  - id: on_up
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      id: "{{ trigger.executionId }}"
      from: "{{ trigger.namespace }}/{{ trigger.flowId }}@{{ trigger.flowRevision }}:{{ trigger.state }}"
      date: "{{ trigger.outputs.date }}"
      task: "{{ outputs.only.value }}"
      nested: ["{{ outputs.loop.a.value }}", 3]
`);
    const e = ended('company.team', 'up', 'WARNING', { outputs: { date: '2024-01-01' }, flowRevision: 4 });
    const parent = taskRun(e, 'each', undefined, { id: 'p1', value: 'a' });
    e.taskRuns = [
      taskRun(e, 'only', { value: '{{ not rendered }}' }),
      parent,
      taskRun(e, 'loop', { value: 'in a' }, { parentTaskRunId: 'p1' }),
    ];
    const r = evaluateFlowTriggers(e, [f], {}, NOW);
    expect(r.warnings).toEqual([]);
    expect(r.toStart[0]?.variables).toEqual({
      executionId: e.id,
      namespace: 'company.team',
      flowId: 'up',
      flowRevision: 4,
      state: 'WARNING',
      outputs: { date: '2024-01-01' },
    });
    expect(r.toStart[0]?.inputs).toEqual({
      id: e.id,
      from: 'company.team/up@4:WARNING',
      date: '2024-01-01',
      task: '{{ not rendered }}',
      nested: ['in a', 3],
    });
  });

  it('inputs that fail to render start nothing and are reported', () => {
    const f = down(
      '  - id: on_up\n    type: io.kestra.plugin.core.trigger.Flow\n    inputs:\n      x: "{{ trigger.outputs.missing }}"\n',
    );
    const r = evaluateFlowTriggers(ended('company.team', 'up'), [f], {}, NOW);
    expect(r.toStart).toEqual([]);
    expect(r.warnings[0]).toMatch(/invalid inputs/);
  });
});

const PRE = (extra = '') => `  - id: both
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: ab
      flows:
        - namespace: company.team
          flowId: a
          states: [SUCCESS]
        - namespace: company.team
          flowId: b
${extra}`;

describe('preconditions', () => {
  const key = 'company.team.down.both.ab';

  it('fire once every upstream flow ran in the window, then reset', () => {
    const f = down(PRE());
    const r1 = evaluateFlowTriggers(ended('company.team', 'a'), [f], {}, NOW);
    expect(r1.toStart).toEqual([]);
    expect(r1.state[key]?.results).toEqual({ condition_1: true });
    const failedA = evaluateFlowTriggers(ended('company.team', 'a', 'FAILED'), [f], {}, NOW);
    expect(failedA.state).toEqual({});
    const b = ended('company.team', 'b', 'FAILED');
    const r2 = evaluateFlowTriggers(b, [f], r1.state, NOW + 1000);
    expect(fired(r2)).toEqual(['down']);
    expect(r2.toStart[0]?.variables.executionId).toBe(b.id);
    expect(r2.state).toEqual({});
  });

  it('resetOnSuccess: false keeps the window: each later match fires again', () => {
    const f = down(PRE('      resetOnSuccess: false\n'));
    const r1 = evaluateFlowTriggers(ended('company.team', 'a'), [f], {}, NOW);
    const r2 = evaluateFlowTriggers(ended('company.team', 'b'), [f], r1.state, NOW + 1000);
    expect(fired(r2)).toEqual(['down']);
    const r3 = evaluateFlowTriggers(ended('company.team', 'b'), [f], r2.state, NOW + 2000);
    expect(fired(r3)).toEqual(['down']);
  });

  it('where filters: AND / OR of FLOW_ID, NAMESPACE, STATE, EXPRESSION', () => {
    const f = down(`  - id: filt
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: w
      where:
        - id: prod
          filters:
            - field: NAMESPACE
              type: STARTS_WITH
              value: company
            - field: STATE
              type: IN
              values: [SUCCESS, WARNING]
        - id: either
          operand: OR
          filters:
            - field: FLOW_ID
              type: EQUAL_TO
              value: x
            - field: EXPRESSION
              type: IS_TRUE
              value: "{{ trigger.flowId == 'up' }}"
`);
    expect(fired(evaluateFlowTriggers(ended('company.team', 'up'), [f], {}, NOW))).toEqual(['down']);
    expect(fired(evaluateFlowTriggers(ended('company.team', 'x', 'WARNING'), [f], {}, NOW))).toEqual([
      'down',
    ]);
    const r = evaluateFlowTriggers(ended('company.team', 'y'), [f], {}, NOW);
    expect(fired(r)).toEqual([]);
    expect(r.state['company.team.down.filt.w']?.results).toEqual({ condition_1_prod: true });
    expect(fired(evaluateFlowTriggers(ended('other', 'up'), [f], r.state, NOW))).toEqual(['down']);
  });

  it('DAILY_TIME_DEADLINE: executions after the deadline are not counted', () => {
    const f = down(
      PRE('      timeWindow:\n        type: DAILY_TIME_DEADLINE\n        deadline: "09:00:00"\n'),
    );
    const early = at('2024-06-03T08:00:00Z');
    const r1 = evaluateFlowTriggers(ended('company.team', 'a'), [f], {}, early);
    expect(fired(evaluateFlowTriggers(ended('company.team', 'b'), [f], r1.state, early + 60_000))).toEqual([
      'down',
    ]);
    const late = evaluateFlowTriggers(ended('company.team', 'b'), [f], r1.state, at('2024-06-03T09:30:00Z'));
    expect(fired(late)).toEqual([]);
    expect(late.state).toEqual({});
  });
});

describe('windows', () => {
  it('DURATION_WINDOW: aligned to the day, hour or minutes of the window, shifted by windowAdvance', () => {
    const iso = (w: { start: number; end: number }) => [
      new Date(w.start).toISOString(),
      new Date(w.end).toISOString(),
    ];
    const now = at('2024-06-03T10:37:12.345Z');
    expect(iso(computeWindow({ type: 'DURATION_WINDOW' }, now))).toEqual([
      '2024-06-03T00:00:00.000Z',
      '2024-06-03T23:59:59.999Z',
    ]);
    expect(iso(computeWindow({ type: 'DURATION_WINDOW', window: 'PT15M' }, now))).toEqual([
      '2024-06-03T10:30:00.000Z',
      '2024-06-03T10:44:59.999Z',
    ]);
    expect(iso(computeWindow({ type: 'DURATION_WINDOW', window: 'PT1H' }, now))).toEqual([
      '2024-06-03T10:00:00.000Z',
      '2024-06-03T10:59:59.999Z',
    ]);
    expect(
      iso(computeWindow({ type: 'DURATION_WINDOW', window: 'P1D', windowAdvance: 'PT6H' }, now)),
    ).toEqual(['2024-06-03T06:00:00.000Z', '2024-06-04T05:59:59.999Z']);
    // Before 06:00 the day's window is the one that started yesterday at 06:00.
    expect(
      iso(
        computeWindow(
          { type: 'DURATION_WINDOW', window: 'P1D', windowAdvance: 'PT6H' },
          at('2024-06-03T03:00:00Z'),
        ),
      )[0],
    ).toBe('2024-06-02T06:00:00.000Z');
  });

  it('SLIDING_WINDOW starts at the first match; DAILY_TIME_WINDOW is today between its times', () => {
    const now = at('2024-06-03T10:00:00Z');
    expect(computeWindow({ type: 'SLIDING_WINDOW', window: 'PT1H' }, now)).toEqual({
      start: now,
      end: now + 3_600_000,
    });
    expect(
      computeWindow({ type: 'DAILY_TIME_WINDOW', startTime: '06:00:00', endTime: '09:00:00' }, now),
    ).toEqual({
      start: at('2024-06-03T06:00:00Z'),
      end: at('2024-06-03T09:00:00Z'),
    });
    expect(() => computeWindow({ type: 'DAILY_TIME_WINDOW' }, now)).toThrow(/startTime is required/);
  });

  it('expired windows of any trigger are forgotten', () => {
    const stale: MultipleConditionState = {
      'x.y.z.w': { start: '2024-06-01T00:00:00.000Z', end: '2024-06-01T23:59:59.999Z', results: { a: true } },
    };
    expect(evaluateFlowTriggers(ended('company.team', 'up'), [down(simple)], stale, NOW).state).toEqual({});
  });
});
