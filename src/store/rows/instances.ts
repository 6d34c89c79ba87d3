/**
 * Rows of the `instances` table (one per running Baton process, see src/runtime/heartbeat.ts) as both
 * backends write and read them. Roles are stored as a comma-separated list.
 */
import type { ClusterInstance } from '../types.ts';

export const INSTANCE_COLUMNS =
  'id, host, pid, roles, worker_group, slots, busy, started_at, last_beat_at, queue_lag_ms';

/** The upsert's SET list: every column but the id takes the new beat's value. */
export const INSTANCE_UPDATE = INSTANCE_COLUMNS.split(', ')
  .slice(1)
  .map((c) => `${c} = excluded.${c}`)
  .join(', ');

export interface InstanceRow {
  id: string;
  host: string;
  pid: number;
  roles: string;
  worker_group: string | null;
  slots: number;
  busy: number;
  started_at: string;
  last_beat_at: string;
  queue_lag_ms: number;
}

/** The values of a beat, in INSTANCE_COLUMNS order. */
export const instanceValues = (i: ClusterInstance): (string | number | null)[] => [
  i.id,
  i.host,
  i.pid,
  i.roles.join(','),
  i.workerGroup ?? null,
  i.slots,
  i.busy,
  i.startedAt,
  i.lastBeatAt,
  Math.max(0, Math.round(i.queueLagMs ?? 0)),
];

export const toInstance = (r: InstanceRow): ClusterInstance => ({
  id: r.id,
  host: r.host,
  pid: Number(r.pid),
  roles: r.roles === '' ? [] : r.roles.split(','),
  ...(r.worker_group === null ? {} : { workerGroup: r.worker_group }),
  slots: Number(r.slots),
  busy: Number(r.busy),
  startedAt: r.started_at,
  lastBeatAt: r.last_beat_at,
  queueLagMs: Number(r.queue_lag_ms),
});
