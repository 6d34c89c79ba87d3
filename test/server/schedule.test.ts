/**
 * Schedules in `baton server`, end to end (flows deployed through the API, executions read from the
 * server's s.store): a flow with a schedule runs on its own with `trigger.date`
 * in its context; the triggers API lists it with its state, turns it off and on, unlocks it; a backfill
 * creates one execution per past tick (paused, resumed, deleted); `stopAfter` turns the trigger off.
 */
import { describe, expect, it } from 'vitest';
import { executionsOf, until } from '../helpers/schedule.ts';
import { json, scheduleServer } from './schedule-api.ts';

const NS = 'sched';
const s = scheduleServer(NS);
const { search, deploy, remove, contextOf, ref } = s;

describe('Schedule in the server', () => {
  it('starts executions on its own, each with its own trigger.date, until the flow is deleted', async () => {
    await deploy(
      `id: every_second
namespace: ${NS}
tasks:
  - id: date
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.date }}"
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    labels:
      origin: schedule
`,
    );
    const ended = await until('two scheduled executions', async () => {
      const list = (await executionsOf(s.store, NS, 'every_second')).filter(
        (e) => e.state.current === 'SUCCESS',
      );
      return list.length >= 2 && list;
    });
    for (const e of ended) {
      expect(e.trigger).toMatchObject({ id: 'tick', type: 'io.kestra.plugin.core.trigger.Schedule' });
      const vars = e.trigger!.variables as { date: string; next: string; previous: string };
      expect(vars.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Date.parse(vars.next) - Date.parse(vars.date)).toBe(1000);
      expect(Date.parse(vars.date) - Date.parse(vars.previous)).toBe(1000);
      expect(e.labels).toContainEqual({ key: 'origin', value: 'schedule' });
      const full = await s.store.getExecution(e.id);
      expect(full?.taskRuns[0]?.outputs).toEqual({ value: vars.date });
    }
    const dates = ended.map((e) => (e.trigger!.variables as { date: string }).date);
    expect(new Set(dates).size).toBe(dates.length);

    const listed = (await search('every_second'))[0]!;
    expect(listed.abstractTrigger).toMatchObject({ id: 'tick', cron: '*/1 * * * * *' });
    expect(listed.triggerContext).toMatchObject({
      namespace: NS,
      flowId: 'every_second',
      triggerId: 'tick',
      disabled: false,
    });
    expect(Date.parse(String(listed.triggerContext.nextExecutionDate))).toBeGreaterThan(Date.now() - 5_000);

    await remove('every_second');
    await until(
      'the trigger state to go with its flow',
      async () => (await s.store.getTriggerState(ref('every_second'))) === undefined,
    );
  });

  it('is turned off and on through the API, and the change is audited', async () => {
    await deploy(
      `id: toggled
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: tick
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
`,
    );
    await until('a first execution', async () => (await executionsOf(s.store, NS, 'toggled')).length > 0);
    const off = await json(
      await s.server.request('/api/v1/triggers', {
        method: 'PUT',
        json: { ...ref('toggled'), disabled: true },
      }),
    );
    expect(off).toMatchObject({ disabled: true, nextExecutionDate: null });
    // Whatever started before the change has been written by now; nothing starts after it.
    const settled = await until('the scheduler to see it off', async () => {
      const before = (await executionsOf(s.store, NS, 'toggled')).length;
      const state = await s.store.getTriggerState(ref('toggled'));
      return state?.disabled === true && state.nextDate === undefined && before;
    });
    const since = Date.now();
    await until('two ticks to pass', () => Date.now() - since > 2_200);
    expect((await executionsOf(s.store, NS, 'toggled')).length).toBe(settled);

    const on = await json(
      await s.server.request('/api/v1/main/triggers', {
        method: 'PUT',
        json: { ...ref('toggled'), disabled: false },
      }),
    );
    expect(on.disabled).toBe(false);
    await until(
      'executions again',
      async () => (await executionsOf(s.store, NS, 'toggled')).length > settled,
    );
    const audit = await s.store.queryAudit({ target: `${NS}.toggled.tick` });
    expect(audit.map((a) => a.action).sort()).toEqual(['trigger.disable', 'trigger.enable']);
    expect(audit[0]).toMatchObject({ actor: 'admin', namespace: NS });
    await remove('toggled');
  });

  it('backfills each past tick once, with the given inputs and labels, paused and resumed', async () => {
    await deploy(
      `id: daily
namespace: ${NS}
inputs:
  - id: n
    type: STRING
    defaults: one
tasks:
  - id: out
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.date }} {{ inputs.n }}"
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 0 * * *"
`,
    );
    await until('the trigger state', async () => (await s.store.getTriggerState(ref('daily')))?.nextDate);
    const started = await json(
      await s.server.request('/api/v1/triggers', {
        method: 'PUT',
        json: {
          ...ref('daily'),
          backfill: {
            start: '2024-01-01T00:00:00Z',
            end: '2024-01-03T12:00:00Z',
            inputs: { n: '{{ 6 * 7 }}' },
            labels: [{ key: 'who', value: 'test' }],
            paused: true,
          },
        },
      }),
    );
    expect(started.backfill).toMatchObject({ start: '2024-01-01T00:00:00.000Z', paused: true });
    // Paused from the start: nothing fires until it is resumed.
    const since = Date.now();
    await until('a few cycles', () => Date.now() - since > 1_500);
    expect(await executionsOf(s.store, NS, 'daily')).toEqual([]);
    const resumed = await json(
      await s.server.request('/api/v1/triggers/backfill/unpause', { method: 'PUT', json: ref('daily') }),
    );
    expect((resumed.backfill as { paused: boolean }).paused).toBe(false);

    const done = await until('three backfilled executions, and the backfill over', async () => {
      const list = await executionsOf(s.store, NS, 'daily');
      const ctx = await contextOf('daily');
      return (
        list.length >= 3 && list.every((e) => e.state.current === 'SUCCESS') && ctx?.backfill === null && list
      );
    });
    expect(done.map((e) => (e.trigger!.variables as { date: string }).date).sort()).toEqual([
      '2024-01-01T00:00:00Z',
      '2024-01-02T00:00:00Z',
      '2024-01-03T00:00:00Z',
    ]);
    for (const e of done) {
      expect(e.labels).toContainEqual({ key: 'who', value: 'test' });
      expect(e.labels).toContainEqual({ key: 'system.backfill', value: 'true' });
      // Inputs given to a backfill are values, never templates.
      expect((await s.store.getExecution(e.id))?.inputs).toEqual({ n: '{{ 6 * 7 }}' });
    }
  });

  it('waits for the execution it started (locked) until it ends or is unlocked', async () => {
    await deploy(
      `id: held
namespace: ${NS}
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
`,
    );
    const first = await until('a paused execution', async () => {
      const list = await executionsOf(s.store, NS, 'held');
      return list[0]?.state.current === 'PAUSED' && list[0];
    });
    const locked = await contextOf('held');
    expect(locked).toMatchObject({ locked: true, executionId: first.id });
    const since = Date.now();
    await until('two ticks to pass', () => Date.now() - since > 2_200);
    expect(await executionsOf(s.store, NS, 'held')).toHaveLength(1);

    const other = await s.server.request(`/api/v1/triggers/${NS}/held/nope/unlock`, { method: 'POST' });
    expect(other.status).toBe(404);
    const unlocked = await json(
      await s.server.request(`/api/v1/triggers/${NS}/held/tick/unlock`, { method: 'POST' }),
    );
    expect(unlocked).toMatchObject({ locked: false, executionId: null });
    await until(
      'the next tick to start a second execution',
      async () => (await executionsOf(s.store, NS, 'held')).length >= 2,
    );
    await remove('held');
  });

  it('turns itself off when an execution it started ends in a stopAfter state', async () => {
    await deploy(
      `id: stopper
namespace: ${NS}
tasks:
  - id: fail
    type: io.kestra.plugin.core.execution.Fail
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
    stopAfter:
      - FAILED
`,
    );
    await until('the trigger to be off', async () => (await contextOf('stopper'))?.disabled === true);
    const list = await executionsOf(s.store, NS, 'stopper');
    expect(list.map((e) => e.state.current)).toEqual(['FAILED']);
    const since = Date.now();
    await until('two ticks to pass', () => Date.now() - since > 2_200);
    expect(await executionsOf(s.store, NS, 'stopper')).toHaveLength(1);
    expect(await contextOf('stopper')).toMatchObject({
      disabled: true,
      nextExecutionDate: null,
      locked: false,
    });
  });
});
