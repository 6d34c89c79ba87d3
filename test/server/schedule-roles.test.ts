/**
 * Schedules in `baton server`, continued: Flow triggers and Toggle next to schedules, and what a viewer
 * may see and change in the triggers API.
 */
import { describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import { executionsOf, until } from '../helpers/schedule.ts';
import { basic } from '../helpers/server.ts';
import { json, scheduleServer } from './schedule-api.ts';

const NS = 'sched2';
const s = scheduleServer(NS);
const { deploy, remove, contextOf, ref } = s;

describe('Schedule in the server, with Flow triggers and roles', () => {
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
      async () => (await executionsOf(s.store, NS, 'downstream'))[0],
    );
    const upIds = (await executionsOf(s.store, NS, 'upstream')).map((e) => e.id);
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
      const list = await executionsOf(s.store, NS, 'switch');
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
    await s.store.putUser({
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
    const listed = await json(await s.server.request('/api/v1/triggers/search?size=100', { headers }));
    const flows = (listed.results as { triggerContext: { namespace: string; flowId: string } }[]).map(
      (r) => `${r.triggerContext.namespace}.${r.triggerContext.flowId}`,
    );
    expect(flows).toContain(`${NS}.seen`);
    expect(flows.every((f) => f.startsWith(`${NS}.`))).toBe(true);
    expect((await s.server.request(`/api/v1/triggers/${NS}/seen`, { headers })).status).toBe(200);
    expect((await s.server.request('/api/v1/triggers/elsewhere/unseen', { headers })).status).toBe(403);
    const change = (path: string, json: unknown, method = 'PUT') =>
      s.server.request(path, { method, json, headers });
    expect((await change('/api/v1/triggers', { ...ref('seen'), disabled: true })).status).toBe(403);
    expect((await change(`/api/v1/triggers/${NS}/seen/tick/unlock`, undefined, 'POST')).status).toBe(403);
    expect((await change('/api/v1/triggers/backfill/pause', ref('seen'))).status).toBe(403);
    // An editor of another namespace may not even see this one's triggers.
    await s.store.putUser({
      name: 'other',
      passwordHash: await hashPassword('other-password'),
      bindings: [{ role: 'editor', namespace: 'elsewhere' }],
      disabled: false,
      createdAt: now,
      updatedAt: now,
    });
    const other = { authorization: basic('other', 'other-password') };
    const hidden = await s.server.request('/api/v1/triggers', {
      method: 'PUT',
      json: { ...ref('seen'), disabled: true },
      headers: other,
    });
    expect(hidden.status).toBe(404);
    expect((await s.store.getTriggerState(ref('seen')))?.disabled).not.toBe(true);
    // Bad input names the field.
    const bad = await s.server.request('/api/v1/triggers', {
      method: 'PUT',
      json: { ...ref('seen'), backfill: { start: 'yesterday' } },
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/^backfill.start: 'yesterday'/);
  });
});
