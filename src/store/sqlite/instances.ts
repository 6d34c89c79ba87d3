/**
 * The `instances` table: one row per running Baton process, rewritten at each of its heartbeats (see
 * src/runtime/heartbeat.ts). Roles are stored as a comma-separated list.
 */
import type { ClusterInstance } from '../types.ts';
import type { SqliteDb } from './db.ts';

interface InstanceRow {
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

const UPSERT = `
INSERT INTO instances (id, host, pid, roles, worker_group, slots, busy, started_at, last_beat_at, queue_lag_ms)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, roles = excluded.roles,
  worker_group = excluded.worker_group, slots = excluded.slots, busy = excluded.busy,
  started_at = excluded.started_at, last_beat_at = excluded.last_beat_at,
  queue_lag_ms = excluded.queue_lag_ms`;

export class SqliteInstances {
  readonly #db: SqliteDb;

  constructor(db: SqliteDb) {
    this.#db = db;
  }

  beat(i: ClusterInstance): void {
    this.#db.run(
      UPSERT,
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
    );
  }

  list(): ClusterInstance[] {
    return this.#db.all<InstanceRow>('SELECT * FROM instances ORDER BY id').map((r) => ({
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
    }));
  }

  delete(id: string): boolean {
    return this.#db.run('DELETE FROM instances WHERE id = ?', id).changes > 0;
  }
}
