/**
 * `baton run FLOW.yaml [--input k=v ...] [--input f=@file] [--label k=v] [--flows DIR] [--json]`
 * Runs a flow on the embedded store, shows live progress, prints the flow outputs. Exit code 0 on
 * SUCCESS or WARNING, 1 otherwise, 2 with nothing created on an invalid flow or bad inputs (see errors.ts).
 * Before exiting it finishes the executions it owns besides (flow-triggered ones, those taken over
 * from a process that died). Ctrl-C kills the execution (exit 130; SIGTERM 143), see session.ts.
 */
import { dirname, resolve } from 'node:path';
import { FlowDisabledError, InputError } from '../executor/create.ts';
import { loadFlowDirectory } from '../flow/index.ts';
import type { Flow } from '../flow/types.ts';
import { waitForExecution, waitForNextAttempt, waitForOwnedWork } from '../runtime/wait.ts';
import { database, dataDir, dataDirOption, keyValues, parse } from './args.ts';
import { FailureReasons, failureSummary } from './failures.ts';
import { createProgress } from './progress.ts';
import { readRunFile } from './run-file.ts';
import { openSession, settled, stopped } from './session.ts';

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    input: { type: 'string', multiple: true, short: 'i' },
    label: { type: 'string', multiple: true, short: 'l' },
    flows: { type: 'string' },
    json: { type: 'boolean' },
  });
  const file = positionals[0];
  const read = readRunFile(file, values.input);
  if (typeof read === 'number') return read;
  const { path, source, flow, inputs } = read;
  const labels = Object.entries(keyValues(values.label, 'label')).map(([key, value]) => ({ key, value }));
  // Subflows are looked up among the flows beside the file (or in --flows); only read them when needed.
  const others = /\bflowId\s*:/.test(source) ? related(values.flows ?? dirname(path), path) : [];

  const session = await openSession({ dataDir: dataDir(values.data), database: database(values.db) });
  const { engine, signal } = session;
  // The execution a signal kills: the one this command follows.
  let current: string | undefined;
  try {
    for (const other of others)
      await engine.store.saveFlow(other.flow.namespace, other.flow.id, other.source);
    const stored = await engine.store.saveFlow(flow.namespace, flow.id, source);
    const progress = createProgress({ json: values.json === true, tty: process.stdout.isTTY === true });
    // `current` is also the execution shown: the one created here, then each new attempt of a flow retry.
    const failures = new FailureReasons(engine.store, (tr, reason) => {
      if (tr.executionId === current) progress.explain(tr, reason);
    });
    engine.executor.on('execution', (execution, changed) => {
      progress.update(execution, changed);
      if (execution.id === current) failures.watch(changed);
    });
    let execution: Awaited<ReturnType<typeof engine.executor.createExecution>>;
    try {
      execution = await engine.executor.createExecution({
        flow: { ...flow, revision: stored.revision },
        revision: stored.revision,
        inputs,
        labels,
      });
    } catch (error) {
      if (error instanceof InputError) {
        for (const message of error.errors) console.error(`${file}: ${message}`);
        return 2;
      }
      if (error instanceof FlowDisabledError) {
        console.error(`${file}: ${error.message}`);
        return 2;
      }
      throw error;
    }
    current = execution.id;
    progress.start(execution);
    let final = await waitForExecution(engine.executor, execution.id, settled, signal);
    progress.finish(final);
    // A flow `retry` with CREATE_NEW_EXECUTION ends an attempt RETRIED and starts a new execution after
    // its interval: follow the chain, so that the exit code is the last attempt's.
    while (final.state.current === 'RETRIED') {
      const nextId = await waitForNextAttempt(engine, final, signal);
      const next = await engine.executor.getExecution(nextId);
      if (!next) break;
      current = nextId;
      progress.attempt(final, next);
      final = await waitForExecution(engine.executor, nextId, settled, signal);
      progress.finish(final);
    }
    current = undefined;
    const ok = final.state.current === 'SUCCESS' || final.state.current === 'WARNING';
    if (!ok && !values.json)
      for (const line of failureSummary(final, await failures.of(final))) console.log(line);
    // Before exiting, finish what this process owns besides: executions its own triggered (Flow
    // triggers) and those it took over from a process that died (see runtime/recovery.ts).
    await waitForOwnedWork(engine, signal);
    const leftovers = engine.adopted.length;
    if (leftovers > 0 && !values.json) console.log(`finished ${leftovers} execution(s) interrupted earlier`);
    return ok ? 0 : 1;
  } catch (error) {
    if (!signal.aborted || error !== signal.reason) throw error;
    return await stopped(engine, error, current);
  } finally {
    await session.close();
  }
};

const related = (dir: string, except: string): { flow: Flow; source: string }[] =>
  loadFlowDirectory(resolve(dir))
    .filter((f) => f.flow && f.errors.length === 0 && resolve(f.file) !== except)
    .map((f) => ({ flow: f.flow as Flow, source: f.source }));
