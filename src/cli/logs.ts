/** `baton logs ID [--level L] [--task T] [--follow]`: logs of an execution, following until it ends. */
import { once } from 'node:events';
import { isTerminal, type LogLevel } from '../execution/types.ts';
import { WakeupSignal } from '../util/signal.ts';
import { dataDirOption, openCommandStore, parse } from './args.ts';

/** How often `--follow` looks for new lines written by the process running the execution. */
const FOLLOW_POLL_MS = 250;
/** Lines read per query: a long log streams in pages instead of being held in memory at once. */
const PAGE = 2_000;

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    level: { type: 'string' },
    task: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
  });
  const id = positionals[0];
  if (!id) {
    console.error('usage: baton logs EXECUTION_ID [--level INFO] [--task TASK_ID] [--follow]');
    return 2;
  }
  const store = await openCommandStore(values);
  try {
    if (!(await store.getExecution(id))) {
      console.error(`execution ${id} not found`);
      return 2;
    }
    let afterSeq = 0;
    const tick = new WakeupSignal();
    for (;;) {
      // Read the state before the logs: logs are written before the execution ends, so once it is seen
      // ended, the query that follows has every line.
      const e = await store.getExecution(id);
      const ended = !e || isTerminal(e.state.current);
      for (;;) {
        const logs = await store.queryLogs({
          executionId: id,
          taskId: values.task,
          minLevel: values.level as LogLevel | undefined,
          afterSeq,
          limit: PAGE,
        });
        if (logs.length === 0) break;
        const text = logs.map((l) => `${l.timestamp} ${l.level.padEnd(5)} ${l.taskId ?? '-'} ${l.message}\n`);
        afterSeq = logs.at(-1)!.seq;
        // Wait for the pipe to take the page before reading the next: memory stays one page.
        if (!process.stdout.write(text.join(''))) await once(process.stdout, 'drain');
        if (logs.length < PAGE) break;
      }
      if (!values.follow || ended) return 0;
      await tick.wait(FOLLOW_POLL_MS);
    }
  } finally {
    await store.close();
  }
};
