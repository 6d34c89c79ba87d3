/**
 * Schedules in `baton server`, end to end (flows deployed through the API, executions read from the
 * server's store): a flow with a schedule runs on its own with `trigger.date`
 * in its context; the triggers API lists it with its state, turns it off and on, unlocks it; a backfill
 * creates one execution per past tick (paused, resumed, deleted); `stopAfter` turns the trigger off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import type { SqliteStore } from '../../src/store/sqlite/index.ts';
import { executionsOf, openServerStore, until } from '../helpers/schedule.ts';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let store: SqliteStore;
beforeAll(async () => {
  server = await startServer();
  store = await openServerStore(server.dataDir);
});
afterAll(async () => {
  await store?.close();
  await server?.dispose();
});

const NS = 'sched';
const json = async (res: Response) => {
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${res.status}: ${JSON.stringify(body)}`);
  return body;
};
const search = async (flowId: string) => {
  const body = await json(
    await server.request(`/api/v1/triggers/search?namespace=${NS}&flowId=${flowId}&size=50`),
  );
  return body.results as {
    abstractTrigger: Record<string, unknown>;
    triggerContext: Record<string, unknown>;
  }[];
};
/** Deploys a flow as a client does: its YAML posted to the flows API. */
const deploy = async (source: string) => {
  const res = await server.request('/api/v1/flows', {
    method: 'POST',
    body: source,
    headers: { 'content-type': 'application/x-yaml' },
  });
  if (res.status !== 200) throw new Error(`deploy: ${res.status} ${await res.text()}`);
};
const remove = async (flowId: string) => {
  const res = await server.request(`/api/v1/flows/${NS}/${flowId}`, { method: 'DELETE' });
  if (res.status !== 204 && res.status !== 200) throw new Error(`delete: ${res.status} ${await res.text()}`);
};
const contextOf = async (flowId: string) => (await search(flowId))[0]?.triggerContext;
const ref = (flowId: string, triggerId = 'tick') => ({ namespace: NS, flowId, triggerId });

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
      const list = (await executionsOf(store, NS, 'every_second')).filter(
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
      const full = await store.getExecution(e.id);
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
      async () => (await store.getTriggerState(ref('every_second'))) === undefined,
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
    await until('a first execution', async () => (await executionsOf(store, NS, 'toggled')).length > 0);
    const off = await json(
      await server.request('/api/v1/triggers', {
        method: 'PUT',
        json: { ...ref('toggled'), disabled: true },
      }),
    );
    expect(off).toMatchObject({ disabled: true, nextExecutionDate: null });
    // Whatever started before the change has been written by now; nothing starts after it.
    const settled = await until('the scheduler to see it off', async () => {
      const before = (await executionsOf(store, NS, 'toggled')).length;
      const state = await store.getTriggerState(ref('toggled'));
      return state?.disabled === true && state.nextDate === undefined && before;
    });
    const since = Date.now();
    await until('two ticks to pass', () => Date.now() - since > 2_200);
    expect((await executionsOf(store, NS, 'toggled')).length).toBe(settled);

    const on = await json(
      await server.request('/api/v1/main/triggers', {
        method: 'PUT',
        json: { ...ref('toggled'), disabled: false },
      }),
    );
    expect(on.disabled).toBe(false);
    await until('executions again', async () => (await executionsOf(store, NS, 'toggled')).length > settled);
    const audit = await store.queryAudit({ target: `${NS}.toggled.tick` });
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
    await until('the trigger state', async () => (await store.getTriggerState(ref('daily')))?.nextDate);
    const started = await json(
      await server.request('/api/v1/triggers', {
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
    expect(await executionsOf(store, NS, 'daily')).toEqual([]);
    const resumed = await json(
      await server.request('/api/v1/triggers/backfill/unpause', { method: 'PUT', json: ref('daily') }),
    );
    expect((resumed.backfill as { paused: boolean }).paused).toBe(false);

    const done = await until('three backfilled executions, and the backfill over', async () => {
      const list = await executionsOf(store, NS, 'daily');
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
      expect((await store.getExecution(e.id))?.inputs).toEqual({ n: '{{ 6 * 7 }}' });
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
      const list = await executionsOf(store, NS, 'held');
      return list[0]?.state.current === 'PAUSED' && list[0];
    });
    const locked = await contextOf('held');
    expect(locked).toMatchObject({ locked: true, executionId: first.id });
    const since = Date.now();
    await until('two ticks to pass', () => Date.now() - since > 2_200);
    expect(await executionsOf(store, NS, 'held')).toHaveLength(1);

    const other = await server.request(`/api/v1/triggers/${NS}/held/nope/unlock`, { method: 'POST' });
    expect(other.status).toBe(404);
    const unlocked = await json(
      await server.request(`/api/v1/triggers/${NS}/held/tick/unlock`, { method: 'POST' }),
    );
    expect(unlocked).toMatchObject({ locked: false, executionId: null });
    await until(
      'the next tick to start a second execution',
      async () => (await executionsOf(store, NS, 'held')).length >= 2,
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
    const list = await executionsOf(store, NS, 'stopper');
    expect(list.map((e) => e.state.current)).toEqual(['FAILED']);
    const since = Date.now();
    await until('two ticks to pass', () => Date.now() - since > 2_200);
    expect(await executionsOf(store, NS, 'stopper')).toHaveLength(1);
    expect(await contextOf('stopper')).toMatchObject({
      disabled: true,
      nextExecutionDate: null,
      locked: false,
    });
  });

  it('runs Flow triggers, and Toggle started by a ScheduleOnDates turns a schedule off', async () => {
    await deploy(
      `id: upstream
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: up
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "*/1 * * * * *"
    withSeconds: true
`,
    );
    await deploy(
      `id: downstream
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.executionId }}"
triggers:
  - id: after
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: ${NS}
        flowId: upstream
`,
    );
    const down = await until(
      'a flow-triggered execution',
      async () => (await executionsOf(store, NS, 'downstream'))[0],
    );
    const upIds = (await executionsOf(store, NS, 'upstream')).map((e) => e.id);
    expect(upIds).toContain(down.trigger?.variables.executionId);

    const at = new Date(Math.ceil((Date.now() + 2_000) / 1000) * 1000).toISOString();
    await deploy(
      `id: switch
namespace: ${NS}
tasks:
  - id: off
    type: io.kestra.plugin.core.trigger.Toggle
    flowId: upstream
    trigger: tick
    enabled: false
triggers:
  - id: once
    type: io.kestra.plugin.core.trigger.ScheduleOnDates
    dates:
      - ${at}
`,
    );
    const toggled = await until('the switch to run once', async () => {
      const list = await executionsOf(store, NS, 'switch');
      return list[0]?.state.current === 'SUCCESS' && list;
    });
    expect(toggled).toHaveLength(1);
    expect(toggled[0]!.trigger?.variables).toMatchObject({ date: at.replace('.000Z', 'Z') });
    expect(await contextOf('upstream')).toMatchObject({ disabled: true });
    await remove('upstream');
    await remove('downstream');
  });

  it('lets a viewer list the triggers of the namespaces it may view, and change none', async () => {
    const now = new Date().toISOString();
    await store.putUser({
      name: 'watcher',
      passwordHash: await hashPassword('watcher-password'),
      bindings: [{ role: 'viewer', namespace: NS }],
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    await deploy(`id: seen
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 0 1 1 *"
`);
    await deploy(`id: unseen
namespace: elsewhere
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: tick
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 0 1 1 *"
`);
    const headers = { authorization: basic('watcher', 'watcher-password') };
    const listed = await json(await server.request('/api/v1/triggers/search?size=100', { headers }));
    const flows = (listed.results as { triggerContext: { namespace: string; flowId: string } }[]).map(
      (r) => `${r.triggerContext.namespace}.${r.triggerContext.flowId}`,
    );
    expect(flows).toContain(`${NS}.seen`);
    expect(flows.every((f) => f.startsWith(`${NS}.`))).toBe(true);
    expect((await server.request(`/api/v1/triggers/${NS}/seen`, { headers })).status).toBe(200);
    expect((await server.request('/api/v1/triggers/elsewhere/unseen', { headers })).status).toBe(403);
    const change = (path: string, json: unknown, method = 'PUT') =>
      server.request(path, { method, json, headers });
    expect((await change('/api/v1/triggers', { ...ref('seen'), disabled: true })).status).toBe(403);
    expect((await change(`/api/v1/triggers/${NS}/seen/tick/unlock`, undefined, 'POST')).status).toBe(403);
    expect((await change('/api/v1/triggers/backfill/pause', ref('seen'))).status).toBe(403);
    // An editor of another namespace may not even see this one's triggers.
    await store.putUser({
      name: 'other',
      passwordHash: await hashPassword('other-password'),
      bindings: [{ role: 'editor', namespace: 'elsewhere' }],
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    const other = { authorization: basic('other', 'other-password') };
    const hidden = await server.request('/api/v1/triggers', {
      method: 'PUT',
      json: { ...ref('seen'), disabled: true },
      headers: other,
    });
    expect(hidden.status).toBe(404);
    expect((await store.getTriggerState(ref('seen')))?.disabled).not.toBe(true);
    // Bad input names the field.
    const bad = await server.request('/api/v1/triggers', {
      method: 'PUT',
      json: { ...ref('seen'), backfill: { start: 'yesterday' } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^backfill.start: 'yesterday'/);
  });
});
