/** Shared by the benchmark cases: a fresh embedded engine in a temp folder, and result printing. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFlowSource } from '../../src/flow/index.ts';
import { openEmbedded } from '../../src/runtime/embedded.ts';

/** SQLite `synchronous` level for engine benchmarks; reported with every engine figure. */
export const SYNCHRONOUS = (process.env.BATON_BENCH_SYNCHRONOUS ?? 'NORMAL') as 'NORMAL' | 'FULL';

export const withEngine = async <T>(
  fn: (engine: Awaited<ReturnType<typeof openEmbedded>>) => Promise<T>,
): Promise<T> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const engine = await openEmbedded({ dataDir, synchronous: SYNCHRONOUS, workerSlots: 64 });
  try {
    return await fn(engine);
  } finally {
    await engine.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

export const deploy = async (engine: Awaited<ReturnType<typeof openEmbedded>>, source: string) => {
  const { flow, errors } = loadFlowSource(source, 'bench.yaml');
  if (!flow || errors.length) throw new Error(errors.map((e) => e.message).join('; '));
  const stored = await engine.store.saveFlow(flow.namespace, flow.id, source);
  return engine.flows.get(flow.namespace, flow.id, stored.revision);
};

export const report = (
  name: string,
  figures: Record<string, number | string>,
  goal?: string,
  ok?: boolean,
): void => {
  console.log(JSON.stringify({ name, figures, goal, ok }));
};

export const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
