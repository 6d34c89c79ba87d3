/** `baton executions list [--namespace NS] [--flow ID] [--state S] [--limit N]` and `baton executions show ID`. */

import { isTerminal, type State } from '../execution/types.ts';
import { isAlive } from '../runtime/heartbeat.ts';
import { describeOwner, ownerStatus } from '../runtime/recovery.ts';
import { maskSealed } from '../secrets/seal.ts';
import type { ClusterInstance } from '../store/types.ts';
import { dataDirOption, openCommandStore, parse } from './args.ts';
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
  const store = await openCommandStore(values);
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
      const stored = await store.getExecution(id);
      // What holds a secret is stored sealed (SECRET inputs and outputs, outputs carrying a secret):
      // shown as `******`, here as everywhere else.
      const e = stored && maskSealed(stored);
      if (!e) {
        console.error(`execution ${id} not found`);
        return 2;
      }
      const deadLetters = await store.listDeadLetters({ executionId: id });
      const owner = await store.getExecutionOwner(id);
      const driver = owner === undefined ? undefined : ownerStatus(owner);
      // Another machine's process is known by its heartbeat (src/runtime/heartbeat.ts), if it beats.
      const beat = owner && (await store.listInstances()).find((i) => i.id === owner);
      if (values.json) {
        const extra = {
          ...(owner === undefined ? {} : { owner: { id: owner, status: driver } }),
          ...(deadLetters.length > 0 ? { deadLetters } : {}),
        };
        console.log(JSON.stringify({ ...e, ...extra }, null, 2));
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
      if (owner !== undefined && !isTerminal(e.state.current))
        console.log(drivenBy(id, e.state.current, owner, beat || undefined));
      for (const l of deadLetters)
        console.log(
          `moved aside: ${l.queue} message ${l.messageId} (${l.attempts} ${l.attempts === 1 ? 'try' : 'tries'}, ${l.failedAt}): ${l.error}`,
        );
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

/** Who drives an unfinished execution, and for an orphan, how it will be resumed. */
const drivenBy = (id: string, state: State, owner: string, beat?: ClusterInstance): string => {
  const who = describeOwner(owner);
  switch (ownerStatus(owner)) {
    case 'alive':
      return `owner: ${who} (running)`;
    case 'elsewhere': {
      if (!beat) return `owner: ${who} (another machine: not checked from here)`;
      const lag = Math.round((Date.now() - Date.parse(beat.lastBeatAt)) / 1000);
      return isAlive(beat, Date.now())
        ? `owner: ${who} (another machine, last heartbeat ${lag} s ago)`
        : `orphaned: its owner, ${who}, stopped beating ${lag} s ago: a running baton server takes it over.`;
    }
    case 'dead':
      return state === 'PAUSED'
        ? `orphaned: its owner, ${who}, is gone. It waits to be resumed: baton resume ${id}`
        : `orphaned: its owner, ${who}, is gone. The next baton command on this data folder (baton run of any flow, or baton restart ${id}) takes it over and finishes it before exiting.`;
  }
};
