/**
 * `baton worker`: a process that only runs tasks (`baton server --roles worker`), with its slots and
 * its worker group: `baton worker --slots 4 --group gpu` takes only jobs of tasks with
 * `workerGroup.key: gpu`; without `--group`, only jobs of tasks without a group.
 */
import { UsageError } from '../errors.ts';
import { main as server } from './server.ts';

export const main = async (argv: string[]): Promise<number> => {
  if (argv.some((a) => a === '--roles' || a.startsWith('--roles=')))
    throw new UsageError('baton worker has the worker role only: use baton server --roles for others');
  return server(['--roles', 'worker', ...argv]);
};
