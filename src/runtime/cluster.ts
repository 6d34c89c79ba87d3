/**
 * The cluster view: every recorded Baton process with its state (alive or dead by heartbeat lag), for
 * `GET /api/v1/cluster` and `baton cluster`.
 */
import type { ClusterInstance, Store } from '../store/types.ts';
import { heartbeatTiming, isAlive } from './heartbeat.ts';

export interface ClusterMember extends ClusterInstance {
  /** Milliseconds since its last beat (on this process's clock). */
  lagMs: number;
  /** DEAD: it missed its beats for longer than the death threshold (its work was handed out again). */
  status: 'ALIVE' | 'DEAD';
}

export const clusterView = async (store: Store, now = Date.now()): Promise<ClusterMember[]> => {
  const { deadAfterMs } = heartbeatTiming();
  return (await store.listInstances()).map((i) => ({
    ...i,
    lagMs: Math.max(0, now - Date.parse(i.lastBeatAt)),
    status: isAlive(i, now, deadAfterMs) ? 'ALIVE' : 'DEAD',
  }));
};

/** The table `baton cluster` prints. */
export const clusterTable = (members: readonly ClusterMember[]): string => {
  const head = ['INSTANCE', 'STATUS', 'ROLES', 'GROUP', 'SLOTS', 'QUEUE LAG', 'LAST BEAT', 'BEAT LAG'];
  const rows = members.map((m) => [
    m.id,
    m.status,
    m.roles.join(','),
    m.workerGroup ?? '-',
    m.slots > 0 ? `${m.busy}/${m.slots}` : '-',
    `${((m.queueLagMs ?? 0) / 1000).toFixed(1)}s`,
    m.lastBeatAt,
    `${(m.lagMs / 1000).toFixed(1)}s`,
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  return [head, ...rows]
    .map((r) =>
      r
        .map((v, c) => v.padEnd(widths[c]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};
