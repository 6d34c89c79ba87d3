/**
 * `baton executions list|show --server URL`: a server's executions (search, get), printed as the
 * embedded command prints them (src/cli/executions.ts), `--json` in Baton's execution shape too. What
 * only the embedded store knows (the process driving an execution, dead letters) is not shown.
 */
import { UsageError } from '../../errors.ts';
import { STATES } from '../../execution/types.ts';
import type { KestraExecution } from '../../server/kestra/execution-json.ts';
import { parse } from '../args.ts';
import { serverClient } from '../client.ts';
import { duration, treeLines } from '../progress.ts';
import { getExecution } from './follow.ts';
import { fromKestraExecution } from './kestra.ts';

/** The most executions one search answers (the server's page size limit). */
const MAX_PAGE = 1000;

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    server: { type: 'string' },
    namespace: { type: 'string' },
    flow: { type: 'string' },
    state: { type: 'string', multiple: true },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [sub, id] = positionals;
  const client = serverClient({ server: values.server });
  if (sub === 'list' || sub === undefined) {
    const limit = values.limit ? Number(values.limit) : 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
      throw new UsageError(`--limit: '${values.limit}' must be a whole number from 1 to ${MAX_PAGE}`);
    for (const s of values.state ?? [])
      if (!(STATES as readonly string[]).includes(s))
        throw new UsageError(`--state: '${s}' is not a state (${STATES.join(', ')})`);
    const { results } = await client.request<{ results: KestraExecution[] }>(
      'GET',
      '/api/v1/executions/search',
      {
        query: {
          namespace: values.namespace,
          flowId: values.flow,
          state: values.state,
          size: limit,
          page: 1,
        },
      },
    );
    const list = results.map(fromKestraExecution).map(({ taskRuns: _, ...e }) => e);
    if (values.json) console.log(JSON.stringify(list, null, 2));
    else
      for (const e of list)
        console.log(
          `${e.id}  ${e.namespace}.${e.flowId}  ${e.state.current.padEnd(9)} ${e.state.startDate}  ${duration(e.state)}`,
        );
    return 0;
  }
  if (sub === 'show' && id) {
    const e = await getExecution(client, id);
    if (!e) {
      console.error(`execution ${id} not found`);
      return 2;
    }
    if (values.json) {
      console.log(JSON.stringify(e, null, 2));
      return 0;
    }
    console.log(
      `${e.namespace}.${e.flowId} rev ${e.flowRevision}  ${e.id}  ${e.state.current}  ${duration(e.state)}`,
    );
    if (Object.keys(e.inputs).length) console.log(`inputs: ${JSON.stringify(e.inputs)}`);
    console.log(`labels: ${e.labels.map((l) => `${l.key}=${l.value}`).join(', ')}`);
    for (const line of treeLines(e, process.stdout.isTTY === true)) console.log(line);
    if (e.outputs) console.log(`outputs: ${JSON.stringify(e.outputs)}`);
    return 0;
  }
  console.error(
    'usage: baton executions list [--namespace NS] [--flow ID] [--state S] --server URL | baton executions show ID --server URL',
  );
  return 2;
};
