/** Giving up on a step (pure): which messages are poison, and the write that ends the execution FAILED. */
import { describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { giveUpWrite, MAX_DELIVERIES, poisonReason, retryDelay } from '../../src/executor/failures.ts';
import { newStateHistory } from '../../src/executor/state.ts';
import type { QueueMessage } from '../../src/store/types.ts';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const msg = (id: number, payload: unknown, extra: Partial<QueueMessage> = {}): QueueMessage => ({
  id,
  queue: 'executor',
  executionId: 'e1',
  payload,
  availableAt: 0,
  attempts: 1,
  ...extra,
});

const running = (): Execution => ({
  id: 'e1',
  namespace: 'n',
  flowId: 'f',
  flowRevision: 1,
  state: newStateHistory('RUNNING', NOW - 1000),
  inputs: {},
  labels: [],
  parentId: 'p1',
  parentTaskRunId: 'ptr',
  attemptNumber: 1,
  taskRuns: [
    {
      id: 't1',
      executionId: 'e1',
      namespace: 'n',
      flowId: 'f',
      taskId: 'done',
      attempts: [{ state: newStateHistory('SUCCESS', NOW - 900) }],
      state: newStateHistory('SUCCESS', NOW - 900),
    },
    {
      id: 't2',
      executionId: 'e1',
      namespace: 'n',
      flowId: 'f',
      taskId: 'busy',
      attempts: [{ state: newStateHistory('RUNNING', NOW - 500) }],
      state: newStateHistory('RUNNING', NOW - 500),
    },
  ],
});

describe('giving up on a step', () => {
  it('poison: unreadable, a consumer notice, too many deliveries; nothing else', () => {
    expect(poisonReason([msg(1, 'x', { unreadable: 'not JSON' })])).toBe(
      'queue message 1 cannot be read: not JSON',
    );
    expect(poisonReason([msg(2, { type: 'unrecoverable', reason: 'job lost' })])).toBe('job lost');
    expect(poisonReason([msg(3, { type: 'kill' }, { attempts: MAX_DELIVERIES + 1 })])).toMatch(
      /delivered 11 times/,
    );
    expect(poisonReason([msg(4, { type: 'kill' }, { attempts: MAX_DELIVERIES })])).toBeUndefined();
    expect([1, 2, 3, 4].map(retryDelay)).toEqual([250, 500, 1000, 2000]);
  });

  it('ends a running execution FAILED: unfinished task runs fail, reason logged, messages aside, parent told', () => {
    const out = giveUpWrite({
      executionId: 'e1',
      execution: running(),
      group: [msg(1, { type: 'resume' }), msg(2, { type: 'unrecoverable', reason: 'r' })],
      reason: 'boom',
      now: NOW,
    });
    expect(out.after?.state.current).toBe('FAILED');
    expect(out.changed.map((t) => [t.id, t.state.current, t.attempts.at(-1)?.state.current])).toEqual([
      ['t2', 'FAILED', 'FAILED'],
    ]);
    expect(out.cancel).toEqual(['t2']);
    expect(out.write.deadLetters).toEqual([{ messageId: 1, error: 'boom' }]);
    expect(out.write.ack).toEqual([2]);
    expect(out.write.purgeQueueOf).toEqual(['e1']);
    expect(out.write.logs?.[0]).toMatchObject({ level: 'ERROR', executionId: 'e1' });
    expect(out.write.logs?.[0]?.message).toContain('boom');
    expect(out.write.enqueue).toEqual([
      {
        queue: 'executor',
        executionId: 'p1',
        payload: expect.objectContaining({ type: 'subflow-update', taskRunId: 'ptr', state: 'FAILED' }),
      },
    ]);
  });

  it('stores a flow-triggered execution that could not be created FAILED; tells a subflow parent', () => {
    const trigger = { id: 'on-up', type: 'io.kestra.plugin.core.trigger.Flow', variables: {} };
    const triggered = giveUpWrite({
      executionId: 'new1',
      execution: undefined,
      group: [
        msg(5, {
          type: 'create-triggered',
          namespace: 'n',
          flowId: 'down',
          revision: 3,
          inputs: {},
          trigger,
        }),
      ],
      reason: 'cannot store input',
      now: NOW,
    });
    expect(triggered.after).toMatchObject({ id: 'new1', flowId: 'down', flowRevision: 3, trigger });
    expect(triggered.after?.state.histories.map((h) => h.state)).toEqual(['CREATED', 'FAILED']);
    expect(triggered.write.execution?.state.current).toBe('FAILED');

    const spec = {
      parentExecutionId: 'p',
      parentTaskRunId: 'ptr',
      namespace: 'n',
      flowId: 'child',
      inputs: {},
      labels: [],
      wait: true,
      trigger,
    };
    const child = giveUpWrite({
      executionId: 'c1',
      execution: undefined,
      group: [msg(6, { type: 'create-subflow', spec })],
      reason: 'x',
      now: NOW,
    });
    expect(child.after).toBeUndefined();
    expect(child.write.enqueue).toMatchObject([
      {
        executionId: 'p',
        payload: { type: 'subflow-update', childExecutionId: 'c1', state: 'FAILED', error: 'x' },
      },
    ]);
  });
});
