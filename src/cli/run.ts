/**
 * `baton run FLOW.yaml [--input k=v ...] [--input f=@file] [--label k=v] [--flows DIR] [--json]`
 * Runs a flow on the embedded store, shows live progress, prints the flow outputs. Exit code 0 on
 * SUCCESS or WARNING, 1 otherwise, 2 with nothing created on an invalid flow or bad inputs (see errors.ts).
 * Before exiting it finishes the executions it owns besides (flow-triggered ones, those taken over
 * from a process that died). Ctrl-C kills the execution (exit 130; SIGTERM 143), see session.ts.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { FlowDisabledError, InputError } from '../executor/create.ts';
import { formatFlowError, loadFlowDirectory, loadFlowSource } from '../flow/index.ts';
import type { Flow } from '../flow/types.ts';
import { waitForExecution, waitForNextAttempt, waitForOwnedWork } from '../runtime/wait.ts';
import { dataDir, dataDirOption, keyValues, parse } from './args.ts';
import { FailureReasons, failureSummary } from './failures.ts';
import { createProgress } from './progress.ts';
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
  if (!file) {
    console.error(
      'usage: baton run FLOW.yaml [--input key=value ...] [--input key=@file] [--flows DIR] [--json]',
    );
    return 2;
  }
  const path = resolve(file);
  if (!existsSync(path)) {
    console.error(`${file}: no such file`);
    return 2;
  }
  if (statSync(path).isDirectory()) {
    console.error(`${file} is a folder: baton run needs one flow file (baton validate takes folders)`);
    return 2;
  }
  const source = readFileSync(path, 'utf8');
  const { flow, errors } = loadFlowSource(source, file);
  if (!flow || errors.length > 0) {
    for (const e of errors) console.error(formatFlowError(e));
    return 2;
  }
  let inputs: Record<string, unknown>;
  try {
    inputs = readInputs(flow, keyValues(values.input, 'input'));
  } catch (error) {
    console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const labels = Object.entries(keyValues(values.label, 'label')).map(([key, value]) => ({ key, value }));
  // Subflows are looked up among the flows beside the file (or in --flows); only read them when needed.
  const others = /\bflowId\s*:/.test(source) ? related(values.flows ?? dirname(path), path) : [];

  const session = await openSession({ dataDir: dataDir(values.data) });
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

/**
 * `--input k=v` for an input the flow declares; `k=@path` uploads a file, for FILE inputs only (so a
 * literal `@` in a STRING input is kept). Everything else stays a string, coerced by the input's type.
 */
const readInputs = (flow: Flow, raw: Record<string, string>): Record<string, unknown> => {
  const declared = new Map((flow.inputs ?? []).map((i) => [i.id, i.type]));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!declared.has(key)) {
      const known = [...declared.keys()];
      throw new Error(
        `--input ${key}: the flow declares no input '${key}' (${known.length ? `its inputs: ${known.join(', ')}` : 'it has no inputs'})`,
      );
    }
    if (declared.get(key) === 'FILE' && value.startsWith('@')) {
      const path = resolve(value.slice(1));
      if (!existsSync(path)) throw new Error(`input ${key}: no such file ${value.slice(1)}`);
      out[key] = { path };
    } else out[key] = value;
  }
  return out;
};

const related = (dir: string, except: string): { flow: Flow; source: string }[] =>
  loadFlowDirectory(resolve(dir))
    .filter((f) => f.flow && f.errors.length === 0 && resolve(f.file) !== except)
    .map((f) => ({ flow: f.flow as Flow, source: f.source }));
