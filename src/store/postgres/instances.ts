/** The `instances` table on PostgreSQL: one row per running Baton process (see SQLite's). */
import type { ClusterInstance } from '../types.ts';
import type { PgDb } from './db.ts';

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
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, roles = excluded.roles,
  worker_group = excluded.worker_group, slots = excluded.slots, busy = excluded.busy,
  started_at = excluded.started_at, last_beat_at = excluded.last_beat_at,
  queue_lag_ms = excluded.queue_lag_ms`;

export class PgInstances {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async beat(i: ClusterInstance): Promise<void> {
    await this.#db.query(UPSERT, [
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
    ]);
  }

  async list(): Promise<ClusterInstance[]> {
    const rows = await this.#db.rows<InstanceRow>('SELECT * FROM instances ORDER BY id COLLATE "C"');
    return rows.map((r) => ({
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

  async delete(id: string): Promise<boolean> {
    return ((await this.#db.query('DELETE FROM instances WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }
}
