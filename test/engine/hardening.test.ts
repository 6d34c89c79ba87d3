/**
 * The engine never dies of one bad thing, on a real embedded engine: a step that cannot be computed
 * ends its execution FAILED (reason in its logs, messages moved aside) while others go on; a damaged
 * worker job fails its execution; a database locked by another connection is waited out; a full
 * database stops the engine with one clear message, leaving nothing half-written.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, describe, expect, it } from 'vitest';
import { type Execution, isTerminal } from '../../src/execution/types.ts';
import { loadFlowSource } from '../../src/flow/index.ts';
import { type Embedded, type EmbeddedOptions, openEmbedded } from '../../src/runtime/embedded.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { TEST_KEY } from '../helpers/engine.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const newDataDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'baton-hardening-'));
  dirs.push(d);
  return d;
};

const start = async (flowId: string, engine: Embedded, source: string) => {
  const { flow } = loadFlowSource(source, `${flowId}.yaml`);
  const stored = await engine.store.saveFlow(flow!.namespace, flow!.id, source);
  return engine.executor.createExecution({
    flow: { ...flow!, revision: stored.revision },
    revision: stored.revision,
  });
};

const ended = (engine: Embedded, id: string) =>
  waitForExecution(engine.executor, id, (e: Execution) => isTerminal(e.state.current));

const PAUSE = `id: pausing
namespace: hard
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: resumed
`;
const HELLO = `id: hello
namespace: hard
tasks:
  - id: say
    type: io.kestra.plugin.core.debug.Return
    format: hello
`;

/** An engine whose notices are collected instead of printed. */
const open = async (dataDir: string, extra: Partial<EmbeddedOptions> = {}) => {
  const notices: string[] = [];
  const engine = await openEmbedded({
    dataDir,
    encryptionKey: TEST_KEY,
    onNotice: (m) => notices.push(m),
    ...extra,
  });
  return { engine, notices };
};

describe('hardened engine', () => {
  it('a step that cannot be computed ends its execution FAILED with the reason, moves its messages aside, and others go on', async () => {
    const dataDir = newDataDir();
    const first = await open(dataDir);
    const paused = await start('pausing', first.engine, PAUSE);
    await waitForExecution(first.engine.executor, paused.id, (e) => e.state.current === 'PAUSED');
    await first.engine.close();
    // The flow's stored revision becomes unreadable (as if saved by a Baton that accepted more).
    const raw = new DatabaseSync(join(dataDir, 'baton.db'));
    raw.exec(
      `UPDATE flows SET source = 'id: pausing\nnamespace: hard\ntasks: not a list' WHERE id = 'pausing'`,
    );
    raw.close();

    const { engine, notices } = await open(dataDir);
    try {
      await engine.executor.send(paused.id, { type: 'resume' });
      const failed = await ended(engine, paused.id);
      expect(failed.state.current).toBe('FAILED');
      expect(failed.taskRuns.every((t) => isTerminal(t.state.current))).toBe(true);
      const errors = await engine.store.queryLogs({ executionId: paused.id, minLevel: 'ERROR' });
      expect(errors.map((l) => l.message).join('\n')).toMatch(
        /could not be computed \(tried 5 times\).*stored flow hard\.pausing is invalid/,
      );
      const letters = await engine.store.listDeadLetters({ executionId: paused.id });
      expect(letters.map((l) => l.payload)).toEqual([{ type: 'resume' }]);
      expect(await engine.store.countQueue()).toBe(0);
      expect(notices.join('\n')).toContain(`execution ${paused.id} FAILED`);
      // The executor goes on with other executions.
      const hello = await start('hello', engine, HELLO);
      expect((await ended(engine, hello.id)).state.current).toBe('SUCCESS');
    } finally {
      await engine.close();
    }
  });

  it('a worker job that cannot be read fails its execution instead of stopping the worker', async () => {
    const dataDir = newDataDir();
    const { engine } = await open(dataDir);
    try {
      const paused = await start('pausing', engine, PAUSE);
      await waitForExecution(engine.executor, paused.id, (e) => e.state.current === 'PAUSED');
      const raw = new DatabaseSync(join(dataDir, 'baton.db'));
      raw
        .prepare(`INSERT INTO queue (queue, execution_id, payload, available_at, visible_at)
          VALUES ('worker', ?, '{"type":"job","task":', 0, 0)`)
        .run(paused.id);
      raw.close();
      const failed = await ended(engine, paused.id);
      expect(failed.state.current).toBe('FAILED');
      const letters = await engine.store.listDeadLetters({ executionId: paused.id });
      expect(letters).toMatchObject([{ queue: 'worker', payload: '{"type":"job","task":' }]);
      expect(letters[0]!.error).toMatch(/cannot be read: payload is not valid JSON/);
      const hello = await start('hello', engine, HELLO);
      expect((await ended(engine, hello.id)).state.current).toBe('SUCCESS');
    } finally {
      await engine.close();
    }
  });

  it('waits out a database locked by another process instead of failing', async () => {
    const dataDir = newDataDir();
    const fatal: Error[] = [];
    const { engine } = await open(dataDir, { busyTimeoutMs: 20, onFatal: (e) => fatal.push(e) });
    try {
      const { flow } = loadFlowSource(HELLO, 'hello.yaml');
      await engine.store.saveFlow('hard', 'hello', HELLO);
      const other = new DatabaseSync(join(dataDir, 'baton.db'), { timeout: 20 });
      other.exec('BEGIN IMMEDIATE');
      const run = engine.executor.createExecution({ flow: { ...flow!, revision: 1 }, revision: 1 });
      // node:sqlite is synchronous: once pending callbacks ran, the first write met the lock.
      await new Promise((resolve) => setImmediate(resolve));
      other.exec('COMMIT');
      other.close();
      const created = await run;
      expect((await ended(engine, created.id)).state.current).toBe('SUCCESS');
      expect(fatal).toEqual([]);
    } finally {
      await engine.close();
    }
  });

  it('a full database stops the engine with one clear message; nothing half-written, the next start finishes', async () => {
    const dataDir = newDataDir();
    const source = `id: loud
namespace: hard
tasks:
  - id: shout
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - for i in $(seq 1 300); do printf '%02000d\\n' 0; done
`;
    // The database as it is before the run, and a cap a little above it.
    const setup = await open(dataDir);
    await setup.engine.store.saveFlow('hard', 'loud', source);
    await setup.engine.close();
    const raw = new DatabaseSync(join(dataDir, 'baton.db'));
    const pages = Number((raw.prepare('PRAGMA page_count').get() as { page_count: number }).page_count);
    raw.close();

    let stop!: (e: Error) => void;
    const stopped = new Promise<Error>((resolve) => {
      stop = resolve;
    });
    const { engine } = await open(dataDir, { maxSizeBytes: (pages + 40) * 4096, onFatal: (e) => stop(e) });
    const execution = await start('loud', engine, source);
    const error = await stopped;
    expect(error.message).toMatch(/the disk holding .*baton\.db is full \(SQLITE_FULL.*Free some space/);
    await engine.close({ drain: false });

    const again = await open(dataDir);
    try {
      const stored = await again.engine.store.getExecution(execution.id);
      // The task's result was not written: the execution is where it was before the failing write.
      expect(stored?.state.current).toBe('RUNNING');
      expect(stored?.taskRuns.some((t) => t.state.current === 'SUCCESS')).toBe(false);
      expect(await again.engine.store.countQueue('worker')).toBe(1);
      const final = await ended(again.engine, execution.id);
      expect(final.state.current).toBe('SUCCESS');
    } finally {
      await again.engine.close();
    }
  });
});
