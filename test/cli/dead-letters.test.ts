/**
 * One bad thing does not stop the engine, as it happened: a flow-triggered execution that fails to be
 * created (its FILE input cannot be stored) ends FAILED with the reason in its logs and its message moved
 * aside, then `baton run` of an unrelated flow on the same data folder succeeds without meeting it again.
 * Queue rows damaged by hand (not JSON) are moved aside too, without stopping anything.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { baton } from './processes.ts';

const dir = mkdtempSync(join(tmpdir(), 'baton-dead-letters-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const other = write(
  'other.yaml',
  'id: other\nnamespace: test.dead\ntasks:\n  - id: x\n    type: io.kestra.plugin.core.log.Log\n    message: x\n',
);

const open = (data: string) => openSqliteStore({ path: join(data, 'baton.db') });

describe('the engine never dies of one bad thing', () => {
  it('a flow-triggered execution that fails to be created ends FAILED; a later baton run does not meet it again', async () => {
    const data = join(dir, 'triggered');
    const listener = write(
      'listener.yaml',
      `id: listener
namespace: test.dead
inputs:
  - id: report
    type: FILE
tasks:
  - id: read
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.report }}"
triggers:
  - id: on-up
    type: io.kestra.plugin.core.trigger.Flow
    inputs:
      report: "report of {{ trigger.executionId }}"
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: test.dead
        flowId: up
`,
    );
    const up = write(
      'up.yaml',
      'id: up\nnamespace: test.dead\ntasks:\n  - id: u\n    type: io.kestra.plugin.core.log.Log\n    message: up\n',
    );
    // Deploy the listener by running it once (with its input).
    const deployed = baton('run', listener, '--input', `report=@${other}`, '--data', data);
    expect(deployed.status, deployed.stderr).toBe(0);
    // Its storage folder becomes unusable: a file stands where the folder of its executions goes.
    const executions = join(data, 'storage', 'test', 'dead', 'listener', 'executions');
    rmSync(executions, { recursive: true, force: true });
    mkdirSync(join(executions, '..'), { recursive: true });
    writeFileSync(executions, 'not a folder');

    const triggered = baton('run', up, '--data', data);
    expect(triggered.status, `${triggered.stdout}\n${triggered.stderr}`).toBe(0);
    const store = await open(data);
    const [failed] = await store.listExecutions({ flowId: 'listener', states: ['FAILED'] });
    expect(failed, 'the triggered execution is stored FAILED').toBeDefined();
    expect(failed!.trigger?.id).toBe('on-up');
    const logs = await store.queryLogs({ executionId: failed!.id, minLevel: 'ERROR' });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/could not be computed \(tried 5 times\)/);
    const letters = await store.listDeadLetters({ executionId: failed!.id });
    expect(letters).toMatchObject([{ queue: 'executor', payload: { type: 'create-triggered' } }]);
    expect(await store.countQueue()).toBe(0);
    await store.close();
    expect(triggered.stderr).toContain(`execution ${failed!.id} FAILED`);

    const shown = baton('executions', 'show', failed!.id, '--data', data);
    expect(shown.stdout).toMatch(/moved aside: executor message \d+ \(5 tries/);

    for (let i = 0; i < 2; i++) {
      const next = baton('run', other, '--data', data);
      expect(next.status, next.stderr).toBe(0);
      expect(next.stderr).toBe('');
    }
  });

  it('damaged queue rows (not JSON) are moved aside without stopping the engine', async () => {
    const data = join(dir, 'garbage');
    expect(baton('run', other, '--data', data).status).toBe(0);
    const raw = new DatabaseSync(join(data, 'baton.db'));
    raw.exec(`INSERT INTO queue (queue, execution_id, payload, available_at, visible_at) VALUES
      ('executor', 'damaged-1', '{"type": "task-result", oops', 0, 0),
      ('worker', 'damaged-2', 'garbage', 0, 0)`);
    raw.close();
    const next = baton('run', other, '--data', data);
    expect(next.status, `${next.stdout}\n${next.stderr}`).toBe(0);
    // The worker's notice about its row reaches the executor at once, or on the next start; after
    // that nothing is left to meet again.
    expect(baton('run', other, '--data', data).status).toBe(0);
    const last = baton('run', other, '--data', data);
    expect(last.status).toBe(0);
    expect(last.stderr).toBe('');
    const store = await open(data);
    expect((await store.listDeadLetters()).map((l) => [l.executionId, l.queue]).sort()).toEqual([
      ['damaged-1', 'executor'],
      ['damaged-2', 'worker'],
    ]);
    expect(await store.countQueue()).toBe(0);
    await store.close();
  });
});
