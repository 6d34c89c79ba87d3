/** `baton executions list [--namespace NS] [--flow ID] [--state S] [--limit N]` and `baton executions show ID`. */

import { join } from 'node:path';
import type { State } from '../execution/types.ts';
import { openSqliteStore } from '../store/sqlite/index.ts';
import { dataDir, dataDirOption, parse } from './args.ts';
import { duration, treeLines } from './progress.ts';

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    namespace: { type: 'string' },
    flow: { type: 'string' },
    state: { type: 'string', multiple: true },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  });
  const [sub, id] = positionals;
  const store = await openSqliteStore({ path: join(dataDir(values.data), 'baton.db') });
  try {
    if (sub === 'list' || sub === undefined) {
      const list = await store.listExecutions({
        namespace: values.namespace,
        flowId: values.flow,
        states: values.state as State[] | undefined,
        limit: values.limit ? Number(values.limit) : 50,
      });
      if (values.json) console.log(JSON.stringify(list, null, 2));
      else
        for (const e of list)
          console.log(
            `${e.id}  ${e.namespace}.${e.flowId}  ${e.state.current.padEnd(9)} ${e.state.startDate}  ${duration(e.state)}`,
          );
      return 0;
    }
    if (sub === 'show' && id) {
      const e = await store.getExecution(id);
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
      if (e.error) console.log(`error: ${e.error}`);
      return 0;
    }
    console.error(
      'usage: baton executions list [--namespace NS] [--flow ID] [--state S] | baton executions show ID',
    );
    return 2;
  } finally {
    await store.close();
  }
};
