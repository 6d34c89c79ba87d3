/**
 * Crash recovery for processes sharing one machine (embedded mode). Every execution has an owner: the
 * process that drives it to its end (the `baton run` waiting for it, see `ExecutionWrite.owners`). At
 * start, a process looks for owners of this host that no longer exist, however long ago they died:
 * it releases their queue leases at once (instead of waiting for them to run out) and takes over their
 * executions, which it then finishes before exiting. Owners are `host:pid:nonce`; those of other hosts
 * cannot be checked from here and are left alone (their leases run out).
 */
import { hostname } from 'node:os';
import type { Store } from '../store/types.ts';
import { isRunning } from '../util/processes.ts';

/**
 * Whether the process behind an owner id still runs: `alive`, `dead`, or `elsewhere` (another host). A
 * pid reused by an unrelated process since looks alive: its executions wait until that process ends.
 * Our own pid under another owner id is a process that died before us (a container restarted with the
 * same hostname gives its new process the same low pid). A zombie is dead: a killed `baton` whose
 * parent is gone waits for init to reap it, which some container inits never do.
 */
export const ownerStatus = (owner: string, self?: string): 'alive' | 'dead' | 'elsewhere' => {
  const parts = owner.split(':');
  if (parts.length < 3) return 'elsewhere';
  const pid = Number(parts[parts.length - 2]);
  const host = parts.slice(0, -2).join(':');
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0) return 'elsewhere';
  if (self !== undefined && pid === process.pid) return owner === self ? 'alive' : 'dead';
  return isRunning(pid) ? 'alive' : 'dead';
};

/** The pid and host of an owner id, for messages. */
export const describeOwner = (owner: string): string => {
  const parts = owner.split(':');
  return parts.length < 3 ? owner : `process ${parts[parts.length - 2]} on ${parts.slice(0, -2).join(':')}`;
};

export interface Recovery {
  /** Owners found dead, whose leases were released and executions taken over. */
  deadOwners: string[];
  /** Executions taken over by `self`. */
  adopted: string[];
}

export const recoverDeadOwners = async (store: Store, self: string): Promise<Recovery> => {
  const owners = new Set([...(await store.listOwners()), ...(await store.listExecutionOwners())]);
  const recovery: Recovery = { deadOwners: [], adopted: [] };
  for (const owner of [...owners].sort()) {
    if (owner === self || ownerStatus(owner, self) !== 'dead') continue;
    await store.releaseOwner(owner);
    recovery.adopted.push(...(await store.adoptExecutions(owner, self)));
    recovery.deadOwners.push(owner);
  }
  return recovery;
};
