/** Kestra's own Flow trigger flows (../shared/conformance/kestra/valid), read at test time. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { MultipleConditionState } from '../../src/triggers/index.ts';
import { evaluateFlowTriggers } from '../../src/triggers/index.ts';
import { at, ended, flowOf, taskRun } from './helpers.ts';

const DIR = fileURLToPath(new URL('../../../shared/conformance/kestra/valid/', import.meta.url));
const FILES = [
  'trigger-flow.yaml',
  'trigger-flow-listener.yaml',
  'trigger-multiplecondition-flow-a.yaml',
  'trigger-multiplecondition-flow-b.yaml',
  'trigger-multiplecondition-listener.yaml',
];
const present = FILES.every((f) => existsSync(`${DIR}${f}`));
if (!present) console.warn(`Kestra conformance flows not found in ${DIR}: Flow trigger conformance skipped`);
const load = (f: string) => flowOf(readFileSync(`${DIR}${f}`, 'utf8'));
const NS = 'io.kestra.tests.trigger';

/** An ended execution of a conformance flow whose `only` task returned "from parents: <id>". */
const upstream = (flowId: string, state: 'SUCCESS' | 'FAILED' = 'SUCCESS') => {
  const e = ended(NS, flowId, state);
  e.taskRuns = [taskRun(e, 'only', { value: `from parents: ${e.id}` })];
  return e;
};

describe.skipIf(!present)('Kestra conformance: Flow trigger', () => {
  const flows = present ? FILES.map(load) : [];
  const now = at('2024-06-03T10:00:00Z');

  it('the listener fires once on the upstream SUCCESS, with its inputs rendered from upstream outputs', () => {
    const e = upstream('trigger-flow');
    const r = evaluateFlowTriggers(e, flows, {}, now);
    expect(r.warnings).toEqual([]);
    expect(r.toStart.map((s) => s.flow.id)).toEqual(['trigger-flow-listener']);
    const [start] = r.toStart;
    expect(start?.trigger.id).toBe('listen-flow');
    expect(start?.inputs).toEqual({ 'from-parent': `from parents: ${e.id}` });
    expect(start?.variables).toEqual({
      executionId: e.id,
      namespace: NS,
      flowId: 'trigger-flow',
      flowRevision: 1,
      state: 'SUCCESS',
    });
  });

  it('the listener ignores a FAILED upstream and other flows', () => {
    expect(evaluateFlowTriggers(upstream('trigger-flow', 'FAILED'), flows, {}, now).toStart).toEqual([]);
    const other = evaluateFlowTriggers(upstream('trigger-multiplecondition-flow-a'), flows, {}, now);
    expect(other.toStart.map((s) => s.flow.id)).not.toContain('trigger-flow-listener');
  });

  it('the MultipleCondition listener fires once after a then b in the window, then resets', () => {
    let state: MultipleConditionState = {};
    const a = upstream('trigger-multiplecondition-flow-a');
    const r1 = evaluateFlowTriggers(a, flows, state, now);
    expect(r1.toStart).toEqual([]);
    state = r1.state;
    const key = `${NS}.trigger-multiplecondition-listener.multiple-listen-flow.multiple`;
    expect(state[key]?.results).toEqual({ success: true, 'flow-a': true });
    expect(state[key]?.start).toBe('2024-06-03T00:00:00.000Z');

    const b = upstream('trigger-multiplecondition-flow-b');
    const r2 = evaluateFlowTriggers(b, flows, state, now + 60_000);
    expect(r2.toStart.map((s) => s.flow.id)).toEqual(['trigger-multiplecondition-listener']);
    expect(r2.toStart[0]?.variables).toMatchObject({
      executionId: b.id,
      flowId: 'trigger-multiplecondition-flow-b',
    });
    expect(r2.toStart[0]?.inputs).toEqual({});
    expect(r2.state[key]).toBeUndefined();

    // Reset: b again alone does not fire.
    const r3 = evaluateFlowTriggers(
      upstream('trigger-multiplecondition-flow-b'),
      flows,
      r2.state,
      now + 120_000,
    );
    expect(r3.toStart).toEqual([]);
  });

  it('the MultipleCondition window expires: a yesterday and b today do not fire', () => {
    const r1 = evaluateFlowTriggers(upstream('trigger-multiplecondition-flow-a'), flows, {}, now);
    const r2 = evaluateFlowTriggers(
      upstream('trigger-multiplecondition-flow-b'),
      flows,
      r1.state,
      now + 86_400_000,
    );
    expect(r2.toStart).toEqual([]);
  });
});
