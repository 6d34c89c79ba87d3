/** Duration properties written as expressions, on a real embedded engine: they are rendered, never ignored. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startEngine();
  await engine.deploy(`id: pause-input
namespace: durations
inputs:
  - id: delay
    type: DURATION
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    delay: "{{ inputs.delay }}"
  - id: after
    type: io.kestra.plugin.core.debug.Return
    format: resumed
`);
});
afterAll(async () => engine?.dispose());

describe('Pause delay from a DURATION input', () => {
  it('resumes after the rendered delay', async () => {
    const e = await engine.run('durations', 'pause-input', { delay: 'PT0.2S' });
    expect(e.state.current).toBe('SUCCESS');
    expect(e.state.histories.map((h) => h.state)).toContain('PAUSED');
    expect(e.taskRuns.find((t) => t.taskId === 'after')?.outputs?.value).toBe('resumed');
  });

  it('fails the task run with a log line when the value is not a duration', async () => {
    await engine.deploy(`id: pause-bad
namespace: durations
inputs:
  - id: delay
    type: STRING
tasks:
  - id: pause
    type: io.kestra.plugin.core.flow.Pause
    delay: "{{ inputs.delay }}"
`);
    const e = await engine.run('durations', 'pause-bad', { delay: 'tomorrow' });
    expect(e.state.current).toBe('FAILED');
    const logs = await engine.store.queryLogs({ executionId: e.id });
    expect(logs.some((l) => l.level === 'ERROR' && /delay rendered to 'tomorrow'/.test(l.message))).toBe(
      true,
    );
  });
});
