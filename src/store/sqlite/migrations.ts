/**
 * Schema of the SQLite store, as an ordered list of migrations. A migration is never edited once
 * released: add a new one at the end. `migrate()` applies, in one transaction each, those whose version
 * is not yet in `schema_migrations`, so running it again is a no-op.
 *
 * Times: `*_at` columns holding ISO instants (text) are for display and range filters on executions
 * and flows; queue and KV expiry times are epoch milliseconds (integers) because they are compared with
 * "now" on the hot path.
 */
import type { DatabaseSync } from 'node:sqlite';
import { CLUSTER_MIGRATIONS } from '../migrations-cluster.ts';
import { RETENTION_MIGRATION } from './retention.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
CREATE TABLE flows (
  namespace  TEXT NOT NULL,
  id         TEXT NOT NULL,
  revision   INTEGER NOT NULL,
  source     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  deleted    INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (namespace, id, revision)
) WITHOUT ROWID;

CREATE TABLE executions (
  id            TEXT PRIMARY KEY,
  namespace     TEXT NOT NULL,
  flow_id       TEXT NOT NULL,
  state         TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  -- the labels again, as a JSON array of {key, value}, searched with json_each
  labels        TEXT NOT NULL DEFAULT '[]',
  -- the whole execution row (without task runs) as JSON; the columns above are copies for filtering
  data          TEXT NOT NULL
);
CREATE INDEX executions_by_flow ON executions (namespace, flow_id, created_at);
CREATE INDEX executions_by_state ON executions (state, created_at);
CREATE INDEX executions_by_created ON executions (created_at);

CREATE TABLE task_runs (
  -- creation order; an INTEGER PRIMARY KEY survives VACUUM, unlike an implicit rowid
  seq          INTEGER PRIMARY KEY,
  id           TEXT NOT NULL UNIQUE,
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  data         TEXT NOT NULL
);
CREATE INDEX task_runs_by_execution ON task_runs (execution_id, seq);

CREATE TABLE queue (
  id           INTEGER PRIMARY KEY,
  queue        TEXT NOT NULL CHECK (queue IN ('executor', 'worker')),
  execution_id TEXT NOT NULL,
  payload      TEXT NOT NULL,
  available_at INTEGER NOT NULL,
  locked_by    TEXT,
  locked_until INTEGER,
  attempts     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX queue_claim ON queue (queue, available_at);
CREATE INDEX queue_by_execution ON queue (execution_id, locked_until);
CREATE INDEX queue_by_owner ON queue (locked_by) WHERE locked_by IS NOT NULL;

CREATE TABLE logs (
  -- AUTOINCREMENT: a seq is never reused after deletes, so "--follow after seq N" never misses lines
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id   TEXT NOT NULL,
  task_run_id    TEXT,
  task_id        TEXT,
  attempt_number INTEGER,
  namespace      TEXT NOT NULL,
  flow_id        TEXT NOT NULL,
  level          TEXT NOT NULL,
  -- TRACE=0 .. ERROR=4, for minLevel filters
  level_rank     INTEGER NOT NULL,
  timestamp      TEXT NOT NULL,
  message        TEXT NOT NULL
);
CREATE INDEX logs_by_execution ON logs (execution_id, seq);
CREATE INDEX logs_by_flow ON logs (namespace, flow_id, timestamp);

CREATE TABLE metrics (
  seq          INTEGER PRIMARY KEY,
  execution_id TEXT NOT NULL,
  task_run_id  TEXT,
  task_id      TEXT,
  name         TEXT NOT NULL,
  type         TEXT NOT NULL CHECK (type IN ('counter', 'timer')),
  value        REAL NOT NULL,
  tags         TEXT NOT NULL,
  timestamp    TEXT NOT NULL
);
CREATE INDEX metrics_by_execution ON metrics (execution_id, seq);

CREATE TABLE kv (
  namespace  TEXT NOT NULL,
  key        TEXT NOT NULL,
  value      TEXT NOT NULL,
  -- epoch ms; NULL = never expires
  expires_at INTEGER,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (namespace, key)
) WITHOUT ROWID;
`,
  },
  {
    version: 2,
    name: 'queue visible_at: claims scan only claimable rows',
    // visible_at = when the row can next be claimed: available_at while unlocked, the lease end while
    // locked. Claims then range-scan (queue, visible_at) and never walk rows held by live leases.
    sql: `
ALTER TABLE queue ADD COLUMN visible_at INTEGER NOT NULL DEFAULT 0;
UPDATE queue SET visible_at = max(available_at, coalesce(locked_until, 0));
DROP INDEX queue_claim;
CREATE INDEX queue_claim ON queue (queue, visible_at, id);
`,
  },
  {
    version: 3,
    name: 'fewer pages written per execution write',
    // Every index is one more page written to the WAL per transaction, and page writes are most of
    // the cost of a commit. task_runs becomes WITHOUT ROWID (its id is the table key, no separate
    // unique index), with seq numbered per execution; logs drop AUTOINCREMENT (one sqlite_sequence page
    // per insert: a seq could now be reused only after deleting the newest logs, whose followers are
    // gone with them) and the (namespace, flow) index used only by rare purges; the queue drops its
    // owner index (the queue holds pending messages only, a scan for owners is cheap).
    sql: `
CREATE TABLE task_runs_v3 (
  id           TEXT PRIMARY KEY,
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  -- creation order within the execution
  seq          INTEGER NOT NULL,
  data         TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO task_runs_v3 (id, execution_id, seq, data) SELECT id, execution_id, seq, data FROM task_runs;
DROP TABLE task_runs;
ALTER TABLE task_runs_v3 RENAME TO task_runs;
CREATE INDEX task_runs_by_execution ON task_runs (execution_id, seq);

CREATE TABLE logs_v3 (
  seq            INTEGER PRIMARY KEY,
  execution_id   TEXT NOT NULL,
  task_run_id    TEXT,
  task_id        TEXT,
  attempt_number INTEGER,
  namespace      TEXT NOT NULL,
  flow_id        TEXT NOT NULL,
  level          TEXT NOT NULL,
  level_rank     INTEGER NOT NULL,
  timestamp      TEXT NOT NULL,
  message        TEXT NOT NULL
);
INSERT INTO logs_v3 SELECT seq, execution_id, task_run_id, task_id, attempt_number, namespace, flow_id,
  level, level_rank, timestamp, message FROM logs;
DROP TABLE logs;
ALTER TABLE logs_v3 RENAME TO logs;
DELETE FROM sqlite_sequence WHERE name = 'logs';
CREATE INDEX logs_by_execution ON logs (execution_id, seq);

DROP INDEX queue_by_owner;
`,
  },
  {
    version: 4,
    name: 'dead letters: queue messages moved aside',
    // A message whose handling keeps failing (or whose payload cannot be read) is moved here instead of
    // being retried forever; `payload` is kept as stored, even when it is not valid JSON.
    sql: `
CREATE TABLE dead_letters (
  id           INTEGER PRIMARY KEY,
  message_id   INTEGER NOT NULL,
  queue        TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  payload      TEXT NOT NULL,
  attempts     INTEGER NOT NULL,
  error        TEXT NOT NULL,
  failed_at    TEXT NOT NULL
);
CREATE INDEX dead_letters_by_execution ON dead_letters (execution_id, id);
`,
  },
  {
    version: 5,
    name: 'execution owners: the process that drives an execution to its end',
    // One row per execution that has not settled, naming its process (a queue owner id). A process
    // that finds the owner of a row dead takes the row over and finishes the execution (recovery).
    sql: `
CREATE TABLE execution_owners (
  execution_id TEXT PRIMARY KEY,
  owner        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX execution_owners_by_owner ON execution_owners (owner);
`,
  },
  {
    version: 6,
    name: 'worker jobs: the process group of the attempt that holds them',
    // JSON {host, pid, startTime, bootId} of the script an attempt started (a process group leader),
    // recorded while its lease is held and kept when the lease is released or runs out: the attempt
    // that takes the job over after a crash ends that group first, instead of running a second copy.
    sql: `ALTER TABLE queue ADD COLUMN process TEXT;`,
  },
  {
    version: 7,
    name: 'executor claims do not walk the worker jobs of an execution',
    // The executor claim looks up the chosen executions' messages by execution: keyed on execution
    // alone, that lookup walked every worker job of the execution too (100,000 for a ForEach over
    // 100,000 values started at once), on every claim. With the queue in the key it reads only the
    // execution's executor messages. Same number of indexes, so no more pages written per write.
    sql: `
DROP INDEX queue_by_execution;
CREATE INDEX queue_by_execution ON queue (execution_id, queue, locked_until);
`,
  },
  {
    version: 8,
    name: 'task runs stored in creation order within their execution',
    // Keyed on the random task-run id, the rows (a kilobyte of JSON each) landed on random pages: past
    // the page cache, every insert and update of a large execution read and rewrote a page of its own
    // (the cost per task run doubled from 1,000 to 100,000 task runs). Keyed on (execution, seq), an
    // execution's new task runs are appended next to each other and updates go where the run was
    // created, near its siblings; the id lookup goes through a narrow index that stays in the cache.
    // Still two B-trees, as before (the primary key replaces the (execution_id, seq) index).
    sql: `
CREATE TABLE task_runs_v5 (
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  -- creation order within the execution
  seq          INTEGER NOT NULL,
  id           TEXT NOT NULL,
  data         TEXT NOT NULL,
  PRIMARY KEY (execution_id, seq)
) WITHOUT ROWID;
INSERT INTO task_runs_v5 (execution_id, seq, id, data) SELECT execution_id, seq, id, data FROM task_runs;
DROP TABLE task_runs;
ALTER TABLE task_runs_v5 RENAME TO task_runs;
CREATE UNIQUE INDEX task_runs_by_id ON task_runs (id);
`,
  },
  {
    version: 9,
    name: 'users, API tokens and the audit log',
    // The audit log is append-only: no statement of the store updates or deletes its rows.
    sql: `
CREATE TABLE users (
  name          TEXT PRIMARY KEY,
  password_hash TEXT,
  -- JSON array of {role, namespace}
  bindings      TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE api_tokens (
  id           TEXT PRIMARY KEY,
  user_name    TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  name         TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT,
  last_used_at TEXT
);

CREATE TABLE audit_log (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  at        TEXT NOT NULL,
  actor     TEXT NOT NULL,
  action    TEXT NOT NULL,
  target    TEXT NOT NULL,
  namespace TEXT,
  source    TEXT,
  details   TEXT
);
CREATE INDEX audit_log_by_at ON audit_log (at);
`,
  },
  {
    version: 10,
    name: 'trigger states',
    // One row per trigger of a flow (Kestra's trigger context): written by the scheduler in the same
    // transaction as the execution a tick creates. The triggers turned off by the Toggle task, kept in
    // the KV store until now, move here.
    sql: `
CREATE TABLE triggers (
  namespace     TEXT NOT NULL,
  flow_id       TEXT NOT NULL,
  trigger_id    TEXT NOT NULL,
  type          TEXT,
  flow_revision INTEGER,
  next_date     TEXT,
  last_date     TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0,
  execution_id  TEXT,
  locked_at     TEXT,
  -- JSON: the backfill in progress, and the type's own state
  backfill      TEXT,
  data          TEXT,
  updated_at    TEXT NOT NULL,
  version       INTEGER NOT NULL,
  PRIMARY KEY (namespace, flow_id, trigger_id)
) WITHOUT ROWID;

INSERT INTO triggers (namespace, flow_id, trigger_id, disabled, updated_at, version)
SELECT substr(key, 1, instr(key, '/') - 1),
       substr(substr(key, instr(key, '/') + 1), 1, instr(substr(key, instr(key, '/') + 1), '/') - 1),
       substr(substr(key, instr(key, '/') + 1), instr(substr(key, instr(key, '/') + 1), '/') + 1),
       1, updated_at, 1
FROM kv WHERE namespace = '__baton_trigger_toggles'
  AND instr(key, '/') > 0 AND instr(substr(key, instr(key, '/') + 1), '/') > 0;
DELETE FROM kv WHERE namespace = '__baton_trigger_toggles';
`,
  },
  {
    version: 11,
    name: 'the audit log refuses updates and deletes',
    // Append-only in the database itself, not only by the store's code: a statement (or a tool opening
    // the file) that tries to change or remove an entry is refused.
    sql: `
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`,
  },
  ...CLUSTER_MIGRATIONS,
  RETENTION_MIGRATION,
];

/** Applies the migrations not yet recorded in `schema_migrations`. Safe to call on every start. */
export function applyMigrations(db: DatabaseSync, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM schema_migrations')
      .all()
      .map((r) => Number(r.version)),
  );
  const done: number[] = [];
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    if (applied.has(m.version)) continue;
    // IMMEDIATE: two processes starting together serialise here; the loser re-checks and skips.
    db.exec('BEGIN IMMEDIATE');
    try {
      const again = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version);
      if (!again) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          m.version,
          m.name,
          new Date().toISOString(),
        );
        done.push(m.version);
      }
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new Error(`SQLite migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, {
        cause: err,
      });
    }
  }
  return done;
}
