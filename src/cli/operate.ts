/**
 * Operator commands on the embedded store: kill, resume, restart, replay. Each starts the engine, sends
 * the event, and waits until the execution no longer needs the engine (ended or paused again), so that
 * the command does its whole job even when no other Baton process is running. Like any start, it takes
 * over the executions of a process that died and finishes them before exiting (runtime/recovery.ts).
 */

import { UsageError } from '../errors.ts';
import type { Execution, State } from '../execution/types.ts';
import { replayExecution } from '../executor/replay.ts';
import type { ExecutorEvent } from '../executor/types.ts';
import { waitForExecution, waitForOwnedWork } from '../runtime/wait.ts';
import { newId } from '../util/ids.ts';
import { database, dataDir, dataDirOption, keyValues, parse } from './args.ts';
import { duration } from './progress.ts';
import { openSession, stopped } from './session.ts';

const SETTLED: State[] = ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED', 'RETRIED', 'PAUSED'];
/** States of an execution that something drives (an orphan in one of them is resumed first). */
const BUSY: State[] = ['CREATED', 'QUEUED', 'RUNNING', 'KILLING', 'RESTARTED', 'RETRYING'];

type Command = { main(argv: string[]): Promise<number> };

const operate = (
  usage: string,
  extra: Record<string, { type: 'string' | 'boolean'; multiple?: boolean; short?: string }>,
  act: (execution: Execution, values: Record<string, unknown>) => { event: ExecutorEvent; replay?: boolean },
): Command => ({
  async main(argv) {
    const { values, positionals } = parse(argv, { ...dataDirOption, ...extra }) as {
      values: Record<string, unknown>;
      positionals: string[];
    };
    const id = positionals[0];
    if (!id) {
      console.error(`usage: ${usage}`);
      return 2;
    }
    const session = await openSession({
      dataDir: dataDir(values.data as string | undefined),
      database: database(values.db as string | undefined),
    });
    const { engine, signal } = session;
    // The execution a signal kills: the one this command waits for.
    let current: string | undefined;
    try {
      const execution = await engine.store.getExecution(id);
      if (!execution) {
        console.error(`execution ${id} not found`);
        return 2;
      }
      // An execution left running by a process that died was taken over at start: it is finished here
      // first, whatever was asked (a restart is refused while it runs; a kill goes through as usual).
      if (engine.adopted.includes(id) && BUSY.includes(execution.state.current) && act !== killAct) {
        console.log(
          `execution ${id} was left ${execution.state.current} by a process that is gone: resuming it`,
        );
        current = id;
        const final = await waitForExecution(
          engine.executor,
          id,
          (e) => SETTLED.includes(e.state.current),
          signal,
        );
        console.log(`execution ${final.id} ${final.state.current} in ${duration(final.state)}`);
        current = undefined;
        await waitForOwnedWork(engine, signal);
        return exitCode(final);
      }
      const { event, replay } = act(execution, values);
      let target = execution.id;
      if (replay) {
        const copy = replayExecution(execution, String(values.from), newId, Date.now());
        const { taskRuns, ...row } = copy;
        await engine.store.writeExecution({
          execution: row,
          taskRuns,
          enqueue: [{ queue: 'executor', executionId: copy.id, payload: event }],
          owners: [{ executionId: copy.id, owner: engine.owner }],
        });
        target = copy.id;
        console.log(`replay ${copy.id} of ${execution.id} from ${String(values.from)}`);
      } else {
        await engine.executor.send(id, event, { own: true });
      }
      current = target;
      // Wait for the execution to leave its current state first (the event may not be processed yet).
      const initial = replay ? 'RESTARTED' : execution.state.current;
      let left = false;
      const final = await waitForExecution(
        engine.executor,
        target,
        (e) => {
          if (
            e.state.current !== initial ||
            e.state.histories.length > (replay ? 2 : execution.state.histories.length)
          )
            left = true;
          return left && SETTLED.includes(e.state.current);
        },
        signal,
      );
      console.log(`execution ${final.id} ${final.state.current} in ${duration(final.state)}`);
      current = undefined;
      await waitForOwnedWork(engine, signal);
      return exitCode(final);
    } catch (error) {
      if (!signal.aborted || error !== signal.reason) throw error;
      return await stopped(engine, error, current);
    } finally {
      await session.close();
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

const killAct = () => ({ event: { type: 'kill' } as ExecutorEvent });

export const kill = operate('baton kill EXECUTION_ID', {}, killAct);

export const restart = operate('baton restart EXECUTION_ID', {}, (e) => {
  if (e.state.current !== 'FAILED' && e.state.current !== 'KILLED')
    throw new UsageError(
      `execution ${e.id} is ${e.state.current}; only FAILED or KILLED executions can be restarted`,
    );
  return { event: { type: 'restart' } };
});

export const resume = operate(
  'baton resume EXECUTION_ID [--input key=value ...]',
  { input: { type: 'string', multiple: true, short: 'i' } },
  (e, values) => {
    if (e.state.current !== 'PAUSED')
      throw new UsageError(`execution ${e.id} is ${e.state.current}, not PAUSED`);
    return { event: { type: 'resume', inputs: keyValues(values.input as string[] | undefined, 'input') } };
  },
);

export const replay = operate(
  'baton replay EXECUTION_ID --from TASK_ID',
  { from: { type: 'string' } },
  (_e, values) => {
    if (!values.from) throw new UsageError('--from TASK_ID (or a task run id) is required');
    return { event: { type: 'restart' }, replay: true };
  },
);
