/** The window state persisted through a real SQLite store's KV API, across a reopen. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import {
  evaluateFlowTriggers,
  loadFlowTriggerState,
  loadTriggerState,
  saveTriggerState,
  TRIGGER_STATE_NAMESPACE,
} from '../../src/triggers/index.ts';
import { at, ended, flowOf } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-triggers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const listener = flowOf(`id: down
namespace: company.team
tasks:
  - id: t
    type: io.kestra.plugin.core.log.Log
    message: hi
triggers:
  - id: both
    type: io.kestra.plugin.core.trigger.Flow
    preconditions:
      id: ab
      flows:
        - namespace: company.team
          flowId: a
        - namespace: company.team
          flowId: b
`);

describe('trigger state in the KV store', () => {
  it('survives a restart, is written per flow trigger and deleted once reset', async () => {
    const path = join(dir, 'state.db');
    const now = at('2024-06-03T10:00:00Z');
    let store = await openSqliteStore({ path });
    const r1 = evaluateFlowTriggers(
      ended('company.team', 'a'),
      [listener],
      await loadTriggerState(store),
      now,
    );
    await saveTriggerState(store, {}, r1.state);
    const entries = await store.kvList(TRIGGER_STATE_NAMESPACE);
    expect(entries.map((e) => e.key)).toEqual(['company.team.down.both']);
    await store.close();

    store = await openSqliteStore({ path });
    const loaded = await loadTriggerState(store);
    expect(loaded).toEqual(r1.state);
    expect(await loadFlowTriggerState(store, 'company.team', 'down', 'both')).toEqual(r1.state);
    const r2 = evaluateFlowTriggers(ended('company.team', 'b'), [listener], loaded, now + 1000);
    expect(r2.toStart.map((s) => s.flow.id)).toEqual(['down']);
    await saveTriggerState(store, loaded, r2.state);
    expect(await store.kvList(TRIGGER_STATE_NAMESPACE)).toEqual([]);
    await store.close();
  });
});
