/**
 * `baton kill|resume|restart|replay ID --server URL`: the operator commands on a server's execution,
 * through its control routes. Like the embedded ones (src/cli/operate.ts) they check the execution's
 * state with the same messages, then wait until the execution no longer needs anyone (ended, or paused
 * again) and print its final state, with the same exit codes. Ctrl-C kills the execution waited for
 * (see stop.ts), as the embedded commands do.
 */
import { UsageError } from '../../errors.ts';
import type { Execution, State } from '../../execution/types.ts';
import type { KestraExecution } from '../../server/kestra/execution-json.ts';
import { keyValues, parse } from '../args.ts';
import { type ServerClient, serverClient } from '../client.ts';
import { duration } from '../progress.ts';
import { executionPath, followExecution, getExecution } from './follow.ts';
import { listenForStop, RemoteInterrupted, stoppedRemote } from './stop.ts';

const SETTLED: State[] = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'PAUSED'];

type Command = { main(argv: string[]): Promise<number> };
type Options = Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>;

/** What an operation did: the execution to wait for (a replay's copy), and whether it is a replay. */
interface Acted {
  target: string;
  replay?: boolean;
}

const operate = (
  usage: string,
  extra: Options,
  act: (client: ServerClient, execution: Execution, values: Record<string, unknown>) => Promise<Acted>,
): Command => ({
  async main(argv) {
    const { values, positionals } = parse(argv, { server: { type: 'string' }, ...extra }) as {
      values: Record<string, unknown>;
      positionals: string[];
    };
    const id = positionals[0];
    if (!id) {
      console.error(`usage: ${usage}`);
      return 2;
    }
    const client = serverClient({ server: values.server as string | undefined });
    const stop = listenForStop();
    const { signal } = stop;
    // The execution a signal kills: the one this command waits for.
    let current: string | undefined;
    try {
      const execution = await getExecution(client, id);
      if (!execution) {
        console.error(`execution ${id} not found`);
        return 2;
      }
      const { target, replay } = await act(client, execution, values);
      current = target;
      // Wait for the execution to leave its current state first (the server may not have taken the
      // operation into account yet when the stream opens).
      const initial = replay ? 'RESTARTED' : execution.state.current;
      let left = false;
      const final = await followExecution(client, target, {
        until: (e) => {
          if (
            e.state.current !== initial ||
            e.state.histories.length > (replay ? 2 : execution.state.histories.length)
          )
            left = true;
          return left && SETTLED.includes(e.state.current);
        },
        signal,
      });
      console.log(`execution ${final.id} ${final.state.current} in ${duration(final.state)}`);
      current = undefined;
      return exitCode(final);
    } catch (error) {
      if (!(signal.aborted && error === signal.reason && error instanceof RemoteInterrupted)) throw error;
      return await stoppedRemote(client, error, current);
    } finally {
      stop.close();
    }
  },
});

const exitCode = (final: Execution): number =>
  final.state.current === 'SUCCESS' ||
  final.state.current === 'WARNING' ||
  final.state.current === 'PAUSED' ||
  final.state.current === 'KILLED'
    ? 0
    : 1;

export const kill = operate('baton kill EXECUTION_ID --server URL', {}, async (client, e) => {
  await client.request('DELETE', `${executionPath(e.id)}/kill`);
  return { target: e.id };
});

export const restart = operate('baton restart EXECUTION_ID --server URL', {}, async (client, e) => {
  if (e.state.current !== 'FAILED' && e.state.current !== 'KILLED')
    throw new UsageError(
      `execution ${e.id} is ${e.state.current}; only FAILED or KILLED executions can be restarted`,
    );
  await client.request('POST', `${executionPath(e.id)}/restart`);
  return { target: e.id };
});

export const resume = operate(
  'baton resume EXECUTION_ID --server URL [--input key=value ...]',
  { input: { type: 'string', multiple: true, short: 'i' } },
  async (client, e, values) => {
    if (e.state.current !== 'PAUSED')
      throw new UsageError(`execution ${e.id} is ${e.state.current}, not PAUSED`);
    const inputs = keyValues(values.input as string[] | undefined, 'input');
    const form = new FormData();
    for (const [key, value] of Object.entries(inputs)) form.append(key, value);
    await client.request(
      'POST',
      `${executionPath(e.id)}/resume`,
      Object.keys(inputs).length > 0 ? { form } : {},
    );
    return { target: e.id };
  },
);

export const replay = operate(
  'baton replay EXECUTION_ID --from TASK_ID --server URL',
  { from: { type: 'string' } },
  async (client, e, values) => {
    if (!values.from) throw new UsageError('--from TASK_ID (or a task run id) is required');
    const from = String(values.from);
    // The server takes a task run id; a task id means its first task run (as src/executor/replay.ts).
    const taskRun = e.taskRuns.find((t) => t.id === from || t.taskId === from);
    if (!taskRun)
      throw new UsageError(`execution ${e.id} has no task run '${from}' (give a task id or a task run id)`);
    const copy = await client.request<KestraExecution>('POST', `${executionPath(e.id)}/replay`, {
      query: { taskRunId: taskRun.id },
    });
    console.log(`replay ${copy.id} of ${e.id} from ${from}`);
    return { target: copy.id, replay: true };
  },
);
