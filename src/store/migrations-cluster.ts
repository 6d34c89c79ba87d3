/**
 * Migrations of the cluster, the same SQL on SQLite and PostgreSQL: the processes' heartbeats
 * (`instances`) and worker groups of queued jobs (12), each process's queue lag in its heartbeat (13).
 * Each backend's migrations.ts lists them after its own schema; the rules are the same: never edit one
 * once released.
 */
import type { Migration } from './sqlite/migrations.ts';

export const CLUSTER_MIGRATIONS: readonly Migration[] = [
  {
    version: 12,
    name: 'cluster instances (heartbeats) and worker groups of queued jobs',
    // A job of a worker group is claimed only by that group's workers: the default group's claim keeps
    // its (queue, visible_at) index and skips the few grouped rows; a group's claim reads a partial index
    // of grouped rows only.
    sql: `
CREATE TABLE instances (
  id            TEXT PRIMARY KEY,
  host          TEXT NOT NULL,
  pid           INTEGER NOT NULL,
  roles         TEXT NOT NULL,
  worker_group  TEXT,
  slots         INTEGER NOT NULL,
  busy          INTEGER NOT NULL,
  started_at    TEXT NOT NULL,
  last_beat_at  TEXT NOT NULL
);
ALTER TABLE queue ADD COLUMN worker_group TEXT;
CREATE INDEX queue_claim_by_group ON queue (worker_group, visible_at, id) WHERE worker_group IS NOT NULL;
`,
  },
  {
    version: 13,
    name: 'queue lag of each process in its heartbeat',
    // Milliseconds the messages a process claimed waited for it (see src/util/claim-lag.ts).
    sql: `ALTER TABLE instances ADD COLUMN queue_lag_ms INTEGER NOT NULL DEFAULT 0;`,
  },
];
