/**
 * `baton run FLOW.yaml --server URL [--input k=v ...] [--input f=@file] [--label k=v] [--json]`: the flow
 * file is checked here, deployed to the server (created, or a new revision only when it changed, as
 * `baton deploy`), and an execution started with the inputs (files uploaded) and labels. It is then
 * shown as the embedded run shows it (progress.ts: live tree, plain or JSON lines, failure reasons), fed
 * by the server's follow stream; same exit codes. Subflows are the server's (deploy them first).
 * Ctrl-C asks the server to kill the execution (see stop.ts).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../../errors.ts';
import type { Execution } from '../../execution/types.ts';
import type { KestraExecution, KestraLogEntry } from '../../server/kestra/execution-json.ts';
import { keyValues, parse } from '../args.ts';
import { type ServerClient, ServerRequestError, serverClient } from '../client.ts';
import { deployFlow } from '../deploy.ts';
import { type FailureLogs, FailureReasons, failureSummary } from '../failures.ts';
import { createProgress } from '../progress.ts';
import { readRunFile } from '../run-file.ts';
import { followExecution, nextAttempt, settled } from './follow.ts';
import { changedTaskRuns, fromKestraExecution } from './kestra.ts';
import { listenForStop, RemoteInterrupted, stoppedRemote } from './stop.ts';

/** Failure reasons read from the server's logs API. */
const serverLogs = (client: ServerClient): FailureLogs => ({
  async queryLogs({ executionId, taskRunId, minLevel }) {
    return client.request<KestraLogEntry[]>('GET', `/api/v1/logs/${encodeURIComponent(executionId)}`, {
      query: { taskRunId, minLevel },
    });
  },
});

/** The inputs as multipart parts, as Kestra's API takes them: a file part for `{ path }` values. */
const inputForm = (inputs: Record<string, unknown>): FormData => {
  const form = new FormData();
  for (const [key, value] of Object.entries(inputs)) {
    if (typeof value === 'object' && value !== null && 'path' in value) {
      const path = String((value as { path: string }).path);
      form.append(key, new Blob([readFileSync(path)]), basename(path));
    } else form.append(key, String(value));
  }
  return form;
};

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    server: { type: 'string' },
    input: { type: 'string', multiple: true, short: 'i' },
    label: { type: 'string', multiple: true, short: 'l' },
    json: { type: 'boolean' },
    flows: { type: 'string' },
    data: { type: 'string' },
  });
  if (values.data !== undefined)
    throw new UsageError('--data and --server: a run is either embedded (--data) or on a server');
  if (values.flows !== undefined)
    throw new UsageError(
      '--flows: with --server, subflows are the server’s (put them there with baton deploy)',
    );
  const file = positionals[0];
  const read = readRunFile(file, values.input);
  if (typeof read === 'number') return read;
  const { source, flow, inputs } = read;
  const labels = Object.entries(keyValues(values.label, 'label')).map(([k, v]) => `${k}:${v}`);
  const client = serverClient({ server: values.server });

  const stop = listenForStop();
  const { signal } = stop;
  // The execution a signal kills: the one shown.
  let current: string | undefined;
  try {
    const deployed = await deployFlow(client, { namespace: flow.namespace, id: flow.id, source });
    if (deployed.action !== 'unchanged')
      console.error(
        `${deployed.action} ${flow.namespace}.${flow.id} (revision ${deployed.revision}) on ${client.url}`,
      );
    signal.throwIfAborted();
    let created: KestraExecution;
    try {
      created = await client.request<KestraExecution>(
        'POST',
        `/api/v1/executions/${encodeURIComponent(flow.namespace)}/${encodeURIComponent(flow.id)}`,
        { form: inputForm(inputs), query: { labels, revision: deployed.revision } },
      );
    } catch (error) {
      // Refused inputs or labels, a disabled flow: nothing was created, as the embedded run says.
      if (error instanceof ServerRequestError && error.status >= 400 && error.status < 500) {
        console.error(`${file}: ${error.message}`);
        return 2;
      }
      throw error;
    }
    const progress = createProgress({ json: values.json === true, tty: process.stdout.isTTY === true });
    const failures = new FailureReasons(serverLogs(client), (tr, reason) => {
      if (tr.executionId === current) progress.explain(tr, reason);
    });
    let shown: Execution = fromKestraExecution(created);
    current = shown.id;
    progress.start(shown);
    const follow = (id: string) =>
      followExecution(client, id, {
        onChange: (e) => {
          const changed = changedTaskRuns(shown, e);
          shown = e;
          progress.update(e, changed);
          failures.watch(changed);
        },
        until: settled,
        signal,
      });
    // The reasons of failed task runs are read over HTTP: awaited, so that the final view shows them.
    const finish = async (e: Execution) => {
      await failures.of(e);
      progress.finish(e);
    };
    let final = await follow(shown.id);
    await finish(final);
    // A flow `retry` with CREATE_NEW_EXECUTION: follow the chain, the exit code is the last attempt's.
    while (final.state.current === 'RETRIED') {
      const next = await nextAttempt(client, final, signal);
      current = next.id;
      progress.attempt(final, next);
      shown = next;
      final = await follow(next.id);
      await finish(final);
    }
    current = undefined;
    const ok = final.state.current === 'SUCCESS' || final.state.current === 'WARNING';
    if (!ok && !values.json)
      for (const line of failureSummary(final, await failures.of(final))) console.log(line);
    return ok ? 0 : 1;
  } catch (error) {
    if (!(signal.aborted && error === signal.reason && error instanceof RemoteInterrupted)) throw error;
    return await stoppedRemote(client, error, current);
  } finally {
    stop.close();
  }
};
