/**
 * Scopes keep a summary of their children, brought up to date from what each step wrote (lanes.ts),
 * instead of scanning all of them on every step (scan.ts). Both must decide the same: the same task runs
 * created in the same order, the same states, the same side effects — on Kestra's flows and on random
 * nested flows with random failures and restarts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { useScopeSummaries } from '../../src/executor/decide/scope.ts';
import type { Flow, Task } from '../../src/flow/types.ts';
import { flowSource, runCase } from './flow-cases.ts';
import { suites } from './flows/index.ts';
import { Sim, type SimOptions } from './harness.ts';

afterEach(() => useScopeSummaries(true));

/** What a run decided, in comparable form. */
const digest = (sim: Sim) => {
  const order = new Map(sim.execution.taskRuns.map((t, i) => [t.id, i]));
  return {
    state: sim.state,
    taskRuns: sim.execution.taskRuns.map((t) => [
      t.taskId,
      t.value,
      t.iteration,
      t.branch,
      t.state.current,
      t.parentTaskRunId === undefined ? -1 : order.get(t.parentTaskRunId),
      t.attempts.length,
    ]),
    effects: sim.effects.map((e) => (e.kind === 'dispatch' ? `dispatch ${e.taskRun.taskId}` : e.kind)),
  };
};

const both = (run: () => Sim) => {
  useScopeSummaries(false);
  let scanned: unknown;
  try {
    scanned = digest(run());
  } catch (e) {
    scanned = `error: ${(e as Error).message}`;
  }
  useScopeSummaries(true);
  let summarised: unknown;
  try {
    summarised = digest(run());
  } catch (e) {
    summarised = `error: ${(e as Error).message}`;
  }
  return { scanned, summarised };
};

describe('scope summaries decide as whole scans: the project flows', () => {
  for (const [, cases] of suites)
    for (const c of cases)
      it(flowSource(c).split('\n')[0]!, () => {
        const { scanned, summarised } = both(() => runCase(c));
        expect(summarised).toEqual(scanned);
      });
});

/** Deterministic pseudo-random numbers (mulberry32). */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const P = 'io.kestra.plugin.core.flow.';

/** A random nested flow: sequences, parallels, loops, ifs, allowed failures, dags, errors and finally. */
const randomFlow = (random: () => number): Flow => {
  let n = 0;
  const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)]!;
  const list = (depth: number, max: number): Task[] =>
    Array.from({ length: 1 + Math.floor(random() * max) }, () => task(depth));
  const task = (depth: number): Task => {
    const id = `t${++n}`;
    const kind = depth >= 3 ? 'leaf' : pick(['leaf', 'leaf', 'seq', 'par', 'each', 'if', 'allow', 'dag']);
    const extra = () =>
      random() < 0.3
        ? { errors: list(depth + 1, 2), ...(random() < 0.5 ? { finally: list(depth + 1, 2) } : {}) }
        : {};
    switch (kind) {
      case 'seq':
        return { id, type: `${P}Sequential`, tasks: list(depth + 1, 4), ...extra() };
      case 'par':
        return {
          id,
          type: `${P}Parallel`,
          concurrent: pick([0, 1, 2]),
          tasks: list(depth + 1, 4),
          ...extra(),
        };
      case 'each':
        return {
          id,
          type: `${P}ForEach`,
          values: Array.from({ length: 1 + Math.floor(random() * 6) }, (_, i) => `v${i}`),
          concurrencyLimit: pick([0, 1, 2, 3]),
          tasks: list(depth + 1, 3),
          ...extra(),
        };
      case 'if':
        return {
          id,
          type: `${P}If`,
          condition: pick(['true', 'false']),
          // biome-ignore lint/suspicious/noThenProperty: the If task's own property name
          then: list(depth + 1, 3),
          else: list(depth + 1, 2),
        };
      case 'allow':
        return { id, type: `${P}AllowFailure`, tasks: list(depth + 1, 3) };
      case 'dag': {
        const tasks = list(depth + 1, 4);
        return {
          id,
          type: `${P}Dag`,
          tasks: tasks.map((t, i) => ({
            task: t,
            dependsOn: i > 0 && random() < 0.5 ? [tasks[i - 1]!.id] : [],
          })),
        };
      }
      default:
        return { id, type: 'io.kestra.plugin.core.debug.Return', format: 'x' };
    }
  };
  return {
    id: 'random',
    namespace: 't',
    tasks: Array.from({ length: 1 + Math.floor(random() * 5) }, () => task(0)),
    ...(random() < 0.3 ? { errors: [task(2)] } : {}),
    ...(random() < 0.3 ? { finally: [task(2)] } : {}),
  };
};

/** Runs `flow` with runnable tasks failing at random (the same ones in both runs), then restarts it once. */
const runRandom = (flow: Flow, seed: number): Sim => {
  const dispatched = new Map<string, number>();
  const opts: SimOptions = {
    maxSteps: 20_000,
    worker: (task, tr) => {
      const key = `${task.id}/${tr.value ?? ''}`;
      const k = (dispatched.get(key) ?? 0) + 1;
      dispatched.set(key, k);
      let h = seed;
      for (const ch of `${key}#${k}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
      return ((h >>> 0) % 100) / 100 < 0.15 ? { state: 'FAILED', error: 'random failure' } : undefined;
    },
  };
  const sim = new Sim(flow, opts).run();
  if (sim.state === 'FAILED') {
    sim.push({ type: 'restart' });
    sim.drain();
  }
  return sim;
};

describe('scope summaries decide as whole scans: random flows', () => {
  for (let seed = 1; seed <= 60; seed++) {
    it(`seed ${seed}`, () => {
      const flow = randomFlow(rng(seed));
      const { scanned, summarised } = both(() => runRandom(structuredClone(flow), seed));
      expect(summarised).toEqual(scanned);
    });
  }
});
