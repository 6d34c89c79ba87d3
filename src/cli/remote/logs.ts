/**
 * `baton logs ID --server URL [--level L] [--task T] [--follow]`: a server's logs of an execution, in the
 * embedded command's line format (src/cli/logs.ts). Without `--follow` the server's text download is
 * copied to stdout as it arrives; with it, its follow stream (one `progress` event per line, ended once
 * the execution ended and its last lines were sent), opened again if it is cut before the end.
 */
import { once } from 'node:events';
import { isTerminal } from '../../execution/types.ts';
import type { KestraLogEntry } from '../../server/kestra/execution-json.ts';
import { parse } from '../args.ts';
import { type ServerClient, ServerRequestError, serverClient, withQuery } from '../client.ts';
import { getExecution } from './follow.ts';
import { readEvents } from './sse.ts';

/**
 * Pause before opening a cut log stream again, and how long the server may stay unreachable meanwhile
 * (a server restart takes about a second); past it the command stops with the connection error.
 */
const REOPEN_MS = 500;
const UNREACHABLE_MS = 30_000;

const write = async (text: string | Uint8Array) => {
  // Wait for the pipe to take it: memory stays bounded on a long log.
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
};

const line = (l: KestraLogEntry) => `${l.timestamp} ${l.level.padEnd(5)} ${l.taskId ?? '-'} ${l.message}\n`;

/** Prints the followed lines; after a cut, the lines printed already are skipped (same order, same filter). */
const follow = async (client: ServerClient, path: string, id: string): Promise<void> => {
  let printed = 0;
  let unreachableSince: number | undefined;
  for (;;) {
    try {
      const response = await client.check(
        'GET',
        path,
        await client.fetch(path, { headers: { accept: 'text/event-stream' } }),
      );
      unreachableSince = undefined;
      let seen = 0;
      for await (const event of readEvents(response)) {
        if (event.name !== 'progress') continue;
        if (++seen <= printed) continue;
        printed = seen;
        await write(line(JSON.parse(event.data) as KestraLogEntry));
      }
      // The server ends the stream once the execution ended; otherwise it was cut (server stopping).
      const e = await getExecution(client, id);
      if (!e || isTerminal(e.state.current)) return;
    } catch (error) {
      if (error instanceof ServerRequestError && error.status !== 0) throw error;
      unreachableSince ??= Date.now();
      if (Date.now() - unreachableSince > UNREACHABLE_MS) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, REOPEN_MS));
  }
};

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    server: { type: 'string' },
    level: { type: 'string' },
    task: { type: 'string' },
    follow: { type: 'boolean', short: 'f' },
  });
  const id = positionals[0];
  if (!id) {
    console.error('usage: baton logs EXECUTION_ID --server URL [--level INFO] [--task TASK_ID] [--follow]');
    return 2;
  }
  const client = serverClient({ server: values.server });
  if (!(await getExecution(client, id))) {
    console.error(`execution ${id} not found`);
    return 2;
  }
  const base = `/api/v1/logs/${encodeURIComponent(id)}`;
  const query = { minLevel: values.level?.toUpperCase(), taskId: values.task };
  if (values.follow) {
    await follow(client, withQuery(`${base}/follow`, query), id);
    return 0;
  }
  const path = withQuery(`${base}/download`, query);
  const response = await client.check('GET', path, await client.fetch(path));
  if (response.body) for await (const chunk of response.body) await write(chunk as Uint8Array);
  return 0;
};
