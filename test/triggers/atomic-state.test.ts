/**
 * Flow trigger window state is written in the same transaction as the step that ends the upstream
 * execution (and as the executions it starts), never on its own: a step that fails must leave neither
 * a window change nor a reset behind (a reset without its execution would lose that execution).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FlowTriggers } from '../../src/executor/flow-triggers.ts';
import { FlowRepository } from '../../src/executor/flows.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { TRIGGER_STATE_NAMESPACE } from '../../src/triggers/index.ts';
import { ended } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-trigger-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LISTENER = `id: down
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
`;

describe('flow trigger state and the step that ends the upstream execution', () => {
  it('is returned for the step write, not written on its own; a batch sees its own pending changes', async () => {
    const store = await openSqliteStore({ path: join(dir, 'atomic.db') });
    await store.saveFlow('company.team', 'down', LISTENER);
    const triggers = new FlowTriggers(store, new FlowRepository(store));
    const warnings: string[] = [];
    triggers.newBatch();
    const a = await triggers.onEnded(ended('company.team', 'a'), (w) => warnings.push(w));
    expect(a.enqueue).toEqual([]);
    expect(a.kv).toEqual([
      { namespace: TRIGGER_STATE_NAMESPACE, key: 'company.team.down.both', value: expect.any(Object) },
    ]);
    // Nothing in the store yet: the window state commits with the step, or not at all.
    expect(await store.kvList(TRIGGER_STATE_NAMESPACE)).toEqual([]);

    // Same batch: the second upstream execution sees the first one's window and fires the trigger.
    const b = await triggers.onEnded(ended('company.team', 'b'), (w) => warnings.push(w));
    expect(b.enqueue.map((m) => (m.payload as { flowId: string }).flowId)).toEqual(['down']);
    expect(b.kv).toEqual([{ namespace: TRIGGER_STATE_NAMESPACE, key: 'company.team.down.both' }]);

    // A later batch reads the store again: the first step committed, the second did not.
    await store.writeExecution({ kv: a.kv });
    triggers.newBatch();
    const again = await triggers.onEnded(ended('company.team', 'b'), (w) => warnings.push(w));
    expect(again.enqueue).toHaveLength(1);
    expect(warnings).toEqual([]);
    await store.close();
  });
});
