/**
 * ForEachItem on a real embedded engine: the four task runs Kestra makes (the task, `_split`, `_items`,
 * `_merge`) with `wait` true or false, and the outputs on the task runs Kestra puts them on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
let items: string;
const parent = (id: string, child: string, wait: boolean) => `id: ${id}
namespace: fei
inputs:
  - id: file
    type: FILE
tasks:
  - id: each
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      rows: 2
    namespace: fei
    flowId: ${child}
    wait: ${wait}
    inputs:
      items: "{{ taskrun.items }}"
`;
const child = (id: string, outputs: boolean) => `id: ${id}
namespace: fei
inputs:
  - id: items
    type: STRING
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ inputs.items }}"
${outputs ? 'outputs:\n  - id: batch\n    type: STRING\n    value: "{{ inputs.items }}"\n' : ''}`;

beforeAll(async () => {
  engine = await startEngine();
  items = join(engine.dataDir, 'items.txt');
  writeFileSync(items, 'a\nb\nc\nd\ne\n');
  await engine.deploy(child('plain', false));
  await engine.deploy(child('with-outputs', true));
  await engine.deploy(parent('waits', 'with-outputs', true));
  await engine.deploy(parent('waits-plain', 'plain', true));
  await engine.deploy(parent('no-wait', 'plain', false));
});
afterAll(async () => engine?.dispose());

const run = (id: string) => engine.run('fei', id, { file: { path: items } });
const byId = (e: Execution, taskId: string) => e.taskRuns.find((t) => t.taskId === taskId)!;

describe('ForEachItem', () => {
  it('wait: true: four task runs, counts on _items, merged child outputs on _merge', async () => {
    const e = await run('waits');
    expect(e.state.current).toBe('SUCCESS');
    expect(e.taskRuns.map((t) => t.taskId)).toEqual(['each', 'each_split', 'each_items', 'each_merge']);
    expect(byId(e, 'each').outputs).toBeUndefined();
    const itemsRun = byId(e, 'each_items');
    expect(itemsRun.attempts).toHaveLength(1);
    expect(itemsRun.outputs).toEqual({
      numberOfBatches: 3,
      iterations: { CREATED: 0, RUNNING: 0, SUCCESS: 3 },
    });
    const uri = String(byId(e, 'each_merge').outputs?.subflowOutputs);
    expect(uri).toMatch(/^kestra:\/\/\//);
    const path = join(engine.dataDir, 'storage', uri.slice('kestra:///'.length));
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).batch)).toHaveLength(3);
  });

  it('wait: true with children without outputs: _merge has no outputs', async () => {
    const e = await run('waits-plain');
    expect(e.taskRuns).toHaveLength(4);
    expect(byId(e, 'each_merge').state.current).toBe('SUCCESS');
    expect(byId(e, 'each_merge').outputs?.subflowOutputs).toBeUndefined();
  });

  it('wait: false: the same four task runs, each batch counted SUCCESS once started', async () => {
    const e = await run('no-wait');
    expect(e.state.current).toBe('SUCCESS');
    expect(e.taskRuns.map((t) => t.taskId)).toEqual(['each', 'each_split', 'each_items', 'each_merge']);
    expect(byId(e, 'each_items').outputs).toEqual({
      numberOfBatches: 3,
      iterations: { RUNNING: 0, SUCCESS: 3 },
    });
    expect(byId(e, 'each_merge').outputs?.subflowOutputs).toBeUndefined();
    expect(byId(e, 'each').outputs).toBeUndefined();
  });
});
