/**
 * Crash recovery for processes sharing one machine (embedded mode): queue leases held by a process of
 * this host that no longer exists are released at once, instead of waiting for the lease to run out.
 * Owners are `host:pid:nonce`; leases of other hosts are left to expire.
 */
import { hostname } from 'node:os';
import type { Store } from '../store/types.ts';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

export const recoverDeadOwners = async (store: Store): Promise<string[]> => {
  const here = hostname();
  const released: string[] = [];
  for (const owner of await store.listOwners()) {
    const [host, pid] = owner.split(':');
    if (host !== here || pid === undefined) continue;
    const n = Number(pid);
    if (n === process.pid || !Number.isInteger(n) || isAlive(n)) continue;
    await store.releaseOwner(owner);
    released.push(owner);
  }
  return released;
};
