/** Shared by the benchmark cases: a fresh embedded engine in a temp folder, and result printing. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadFlowSource } from '../../src/flow/index.ts';
import { openEmbedded } from '../../src/runtime/embedded.ts';

/** SQLite `synchronous` level for engine benchmarks; reported with every engine figure. */
export const SYNCHRONOUS = (process.env.BATON_BENCH_SYNCHRONOUS ?? 'NORMAL') as 'NORMAL' | 'FULL';

/** `database`: a `postgres://` URL to run on PostgreSQL; SQLite in the temp folder by default. */
export const withEngine = async <T>(
  fn: (engine: Awaited<ReturnType<typeof openEmbedded>>, dataDir: string) => Promise<T>,
  database?: string,
): Promise<T> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-bench-'));
  const engine = await openEmbedded({ dataDir, database, synchronous: SYNCHRONOUS, workerSlots: 64 });
  try {
    return await fn(engine, dataDir);
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

/**
 * Sizes of a size-parameterised case: `envName` as a comma-separated list (`1000,10000`), else the
 * defaults, plus `large` when BATON_BENCH_LARGE=1 (sizes too slow for every `npm run bench`).
 */
export const benchSizes = (envName: string, defaults: number[], large: number[]): number[] => {
  const raw = process.env[envName];
  if (raw) return raw.split(',').map((s) => Number(s.trim()));
  return process.env.BATON_BENCH_LARGE === '1' ? [...defaults, ...large] : defaults;
};

/** Set in the child process that runs one size of a case (see `runPerSize`). */
export const ONE_SIZE = 'BATON_BENCH_ONE_SIZE';

/**
 * Runs `file` once per size, each in its own process (so that peak memory is that size's own), prints
 * the result line of each as it comes, and returns them. The child finds its size in `ONE_SIZE`.
 */
export const runPerSize = (
  file: string,
  sizes: number[],
): { name: string; figures: Record<string, number | string> }[] => {
  const out = [];
  for (const size of sizes) {
    const r = spawnSync(process.execPath, ['--expose-gc', file], {
      encoding: 'utf8',
      env: { ...process.env, [ONE_SIZE]: String(size) },
      maxBuffer: 64 << 20,
    });
    const line = r.stdout.trim().split('\n').at(-1) ?? '';
    try {
      out.push(JSON.parse(line));
      console.log(line);
    } catch {
      const error = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
      const failed = { name: `size ${size}`, figures: { size, error } };
      out.push(failed);
      console.log(JSON.stringify(failed));
    }
  }
  return out;
};

/** `size=ms per task` for each size, and the ratio of the largest size's cost to the smallest's. */
export const curve = (
  results: { figures: Record<string, number | string> }[],
): { figures: Record<string, number | string>; ratio: number } => {
  const figures: Record<string, number | string> = {};
  const costs: [number, number][] = [];
  for (const r of results) {
    const size = Number(r.figures.size);
    const ms = Number(r.figures.msPerTask);
    figures[`ms@${size}`] = Number.isFinite(ms) ? ms.toFixed(3) : String(r.figures.error ?? 'error');
    if (Number.isFinite(ms)) costs.push([size, ms]);
  }
  costs.sort((a, b) => a[0] - b[0]);
  const ratio = costs.length >= 2 ? costs.at(-1)![1] / costs[0]![1] : Number.NaN;
  if (costs.length >= 2) figures[`ratio ${costs.at(-1)![0]}/${costs[0]![0]}`] = ratio.toFixed(2);
  return { figures, ratio };
};

/** The admin of the servers the benchmarks start. */
export const BENCH_ADMIN = { user: 'admin', password: 'bench-password' };

/**
 * Starts `baton server` as users run it (bin/baton.js over the bundle) on a free port, with the bench
 * admin; resolves with its URL once it listens. `args` are more options (`--db URL`, `--roles LIST`).
 */
export const spawnServer = async (
  dataDir: string,
  stderr: 'ignore' | 'inherit' = 'ignore',
  args: string[] = [],
): Promise<{ child: ChildProcess; url: string }> => {
  const main = fileURLToPath(new URL('../../bin/baton.js', import.meta.url));
  const child = spawn(process.execPath, [main, 'server', '--data', dataDir, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', stderr],
    env: { ...process.env, BATON_ADMIN_USER: BENCH_ADMIN.user, BATON_ADMIN_PASSWORD: BENCH_ADMIN.password },
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /Baton server on (\S+)/.exec(line);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', () => reject(new Error('baton server exited')));
  });
  return { child, url };
};

/** A flow started by a webhook (key `bench-key`) whose one task returns the body's `n`. */
export const WEBHOOK_FLOW = [
  'id: hook',
  'namespace: bench',
  'tasks:',
  '  - id: one',
  '    type: io.kestra.plugin.core.debug.Return',
  '    format: "{{ trigger.body.n }}"',
  'triggers:',
  '  - id: hook',
  '    type: io.kestra.plugin.core.trigger.Webhook',
  '    key: bench-key',
].join('\n');
