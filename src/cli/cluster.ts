/**
 * `baton cluster [--json]`: the Baton processes sharing the data folder's database (`--data`) or a
 * server's (`--server URL`): their roles, worker group, busy/total worker slots, last heartbeat and lag.
 */
import { UsageError } from '../errors.ts';
import { type ClusterMember, clusterTable, clusterView } from '../runtime/cluster.ts';
import { openAccessStore } from './access-store.ts';
import { dataDirOption, parse } from './args.ts';
import { serverClient } from './client.ts';

const print = (members: ClusterMember[], json: boolean | undefined) => {
  if (json) console.log(JSON.stringify(members, null, 2));
  else if (members.length === 0) console.log('No Baton process is running on this database.');
  else console.log(clusterTable(members));
};

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, { ...dataDirOption, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const store = await openAccessStore(values);
  try {
    print(await clusterView(store), values.json);
    return 0;
  } finally {
    await store.close();
  }
};

export const remote = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, { server: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const answer = await serverClient({ server: values.server }).request<{ instances: ClusterMember[] }>(
    'GET',
    '/api/v1/cluster',
  );
  print(answer.instances, values.json);
  return 0;
};
