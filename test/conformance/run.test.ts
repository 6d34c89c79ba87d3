/**
 * Runs Kestra's own test flows (../shared/conformance/kestra/valid) on a real embedded engine and checks
 * the outcomes Kestra's tests assert. Skips with a notice when this clone has no shared folder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlowSource } from '../../src/flow/index.ts';
import { conformanceDir, readValidFlows, startEngine, type TestEngine } from '../helpers/engine.ts';
import { cases } from './cases.ts';
import { specialCases } from './special-cases.ts';

const dir = conformanceDir();
if (!dir) console.log('conformance: ../shared/conformance/kestra not found, skipping Kestra flow runs');

describe.skipIf(!dir)('Kestra conformance: running the valid flows', () => {
  let engine: TestEngine;
  const ids = new Map<string, { namespace: string; id: string }>();

  beforeAll(async () => {
    process.env.SECRET_MY_SECRET = Buffer.from('secretValue').toString('base64');
    engine = await startEngine();
    for (const { file, source } of readValidFlows(dir!)) {
      const { flow } = loadFlowSource(source, file);
      if (!flow) continue;
      await engine.store.saveFlow(flow.namespace, flow.id, source);
      ids.set(file, { namespace: flow.namespace, id: flow.id });
    }
  });
  afterAll(async () => engine?.dispose());

  for (const c of [...cases, ...specialCases]) {
    it.skipIf(Boolean(c.pending))(`${c.name}${c.pending ? ` (pending: ${c.pending})` : ''}`, async () => {
      const ref = ids.get(c.file);
      expect(ref, `${c.file} deployed`).toBeDefined();
      if (c.drive) return c.drive(engine, ref!.namespace, ref!.id);
      const e = await engine.run(ref!.namespace, ref!.id, c.inputs, { labels: c.labels });
      if (c.state) expect(e.state.current).toBe(c.state);
      if (c.tr !== undefined)
        expect(e.taskRuns.map((t) => `${t.taskId}:${t.state.current}`)).toHaveLength(c.tr);
      await c.check?.(e, engine);
    });
  }
});
