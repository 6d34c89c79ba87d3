/** Retry policies: `maxAttempts` (Kestra 1.x) and its alias `maxAttempt`, in the policy and end to end. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxAttemptsOf, retryDelay } from '../../src/executor/decide/retry.ts';
import type { RetryPolicy } from '../../src/flow/types.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

const constant = (extra: Partial<RetryPolicy>): RetryPolicy => ({
  type: 'constant',
  interval: 'PT1S',
  ...extra,
});

describe('maxAttemptsOf', () => {
  it.each([
    [{ maxAttempts: 3 }, 3],
    [{ maxAttempt: 2 }, 2],
    [{}, undefined],
    // Both set: the one written last wins, as with Kestra's Jackson alias.
    [{ maxAttempt: 2, maxAttempts: 5 }, 5],
    [{ maxAttempts: 5, maxAttempt: 2 }, 2],
  ] as [Partial<RetryPolicy>, number | undefined][])('%j → %s', (extra, expected) => {
    expect(maxAttemptsOf(constant(extra))).toBe(expected);
  });

  it('stops retrying after maxAttempts attempts', () => {
    const policy = constant({ maxAttempts: 3 });
    expect(retryDelay(policy, 1, 0, 0, 's')).toBe(1000);
    expect(retryDelay(policy, 2, 0, 0, 's')).toBe(1000);
    expect(retryDelay(policy, 3, 0, 0, 's')).toBeUndefined();
  });
});

describe('task retry end to end', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => engine?.dispose());

  it.each(['maxAttempts', 'maxAttempt'])('a failing task with %s: 3 runs 3 attempts', async (name) => {
    const id = `retry-${name.toLowerCase()}`;
    await engine.deploy(`id: ${id}
namespace: retries
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: always
    retry:
      type: constant
      interval: PT0.01S
      ${name}: 3
`);
    const done = await engine.run('retries', id);
    expect(done.state.current).toBe('FAILED');
    const boom = done.taskRuns.find((tr) => tr.taskId === 'boom');
    expect(boom?.attempts.map((a) => a.state.current)).toEqual(['FAILED', 'FAILED', 'FAILED']);
  });
});
