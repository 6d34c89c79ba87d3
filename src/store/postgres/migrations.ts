/**
 * Schema of the PostgreSQL store, as an ordered list of migrations, numbered as SQLite's where they
 * mean the same. Version 1 is the shape SQLite reached at its version 8 (2 to 8 only rearranged SQLite's
 * pages, which PostgreSQL lays out its own way); 9, 10 and 11 are SQLite's. A migration is never edited
 * once released: add a new one at the end.
 *
 * `migrate()` holds a session advisory lock (one per schema) while it runs: two processes starting
 * at once on a fresh database would otherwise both see version 0 and both create the tables; the second
 * waits, then finds everything applied. Each migration commits in its own transaction with its row in
 * `schema_migrations` (PostgreSQL's DDL is transactional).
 *
 * Names and ISO instants are compared as SQLite does, byte by byte (COLLATE "C"), whatever the
 * database's locale: sorted lists and `since`/`until` filters then agree between the backends.
 *
 * Times as in SQLite: ISO instants as text for display and range filters, epoch milliseconds (BIGINT)
 * for queue and KV expiry, compared with "now" on the hot path.
 */

import { CLUSTER_MIGRATIONS } from '../migrations-cluster.ts';
import type { PgDb } from './db.ts';
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
  namespace  TEXT COLLATE "C" NOT NULL,
  id         TEXT COLLATE "C" NOT NULL,
  revision   INTEGER NOT NULL,
  source     TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  deleted    BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (namespace, id, revision)
);

CREATE TABLE executions (
  id         TEXT COLLATE "C" PRIMARY KEY,
  namespace  TEXT COLLATE "C" NOT NULL,
  flow_id    TEXT COLLATE "C" NOT NULL,
  state      TEXT NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT NOT NULL,
  -- the labels again, as a JSON array of {key, value}, searched with @>
  labels     JSONB NOT NULL DEFAULT '[]',
  -- the execution's version, read on its own by getExecutionVersion (cheap, unlike parsing data)
  version    BIGINT NOT NULL DEFAULT 0,
  -- the whole execution row (without task runs) as JSON text; the columns above are copies for filtering
  data       TEXT NOT NULL
);
CREATE INDEX executions_by_flow ON executions (namespace, flow_id, created_at);
CREATE INDEX executions_by_state ON executions (state, created_at);
CREATE INDEX executions_by_created ON executions (created_at);

CREATE TABLE task_runs (
  execution_id TEXT COLLATE "C" NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  -- creation order within the execution
  seq          INTEGER NOT NULL,
  id           TEXT COLLATE "C" NOT NULL,
  data         TEXT NOT NULL,
  PRIMARY KEY (execution_id, seq)
);
CREATE UNIQUE INDEX task_runs_by_id ON task_runs (id);

CREATE TABLE queue (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue        TEXT NOT NULL CHECK (queue IN ('executor', 'worker')),
  execution_id TEXT COLLATE "C" NOT NULL,
  -- text, not JSONB: a damaged payload is still handed out (flagged unreadable) and kept as it was
  payload      TEXT NOT NULL,
  available_at BIGINT NOT NULL,
  locked_by    TEXT COLLATE "C",
  locked_until BIGINT,
  attempts     INTEGER NOT NULL DEFAULT 0,
  -- when the row can next be claimed: available_at while unlocked, the lease end while locked
  visible_at   BIGINT NOT NULL,
  -- JSON {host, pid, startTime, bootId} of the process the attempt holding a worker job started
  process      TEXT
);
CREATE INDEX queue_claim ON queue (queue, visible_at, id);
CREATE INDEX queue_by_execution ON queue (execution_id, queue, locked_until);

CREATE TABLE logs (
  seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  execution_id   TEXT COLLATE "C" NOT NULL,
  task_run_id    TEXT,
  task_id        TEXT,
  attempt_number INTEGER,
  namespace      TEXT COLLATE "C" NOT NULL,
  flow_id        TEXT COLLATE "C" NOT NULL,
  level          TEXT NOT NULL,
  level_rank     INTEGER NOT NULL,
  timestamp      TEXT NOT NULL,
  message        TEXT NOT NULL
);
CREATE INDEX logs_by_execution ON logs (execution_id, seq);

CREATE TABLE metrics (
  seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  execution_id TEXT COLLATE "C" NOT NULL,
  task_run_id  TEXT,
  task_id      TEXT,
  name         TEXT COLLATE "C" NOT NULL,
  type         TEXT NOT NULL CHECK (type IN ('counter', 'timer')),
  value        DOUBLE PRECISION NOT NULL,
  tags         TEXT NOT NULL,
  timestamp    TEXT NOT NULL
);
CREATE INDEX metrics_by_execution ON metrics (execution_id, seq);

CREATE TABLE kv (
  namespace  TEXT COLLATE "C" NOT NULL,
  key        TEXT COLLATE "C" NOT NULL,
  value      TEXT NOT NULL,
  -- epoch ms; NULL = never expires
  expires_at BIGINT,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (namespace, key)
);

CREATE TABLE dead_letters (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id   BIGINT NOT NULL,
  queue        TEXT NOT NULL,
  execution_id TEXT COLLATE "C" NOT NULL,
  payload      TEXT NOT NULL,
  attempts     INTEGER NOT NULL,
  error        TEXT NOT NULL,
  failed_at    TEXT NOT NULL
);
CREATE INDEX dead_letters_by_execution ON dead_letters (execution_id, id);

CREATE TABLE execution_owners (
  execution_id TEXT COLLATE "C" PRIMARY KEY,
  owner        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX execution_owners_by_owner ON execution_owners (owner);
`,
  },
  {
    version: 9,
    name: 'users, API tokens and the audit log',
    sql: `
CREATE TABLE users (
  name          TEXT COLLATE "C" PRIMARY KEY,
  password_hash TEXT,
  -- JSON array of {role, namespace}
  bindings      TEXT NOT NULL,
  disabled      BOOLEAN NOT NULL DEFAULT FALSE,
  created_at    TEXT COLLATE "C" NOT NULL,
  updated_at    TEXT NOT NULL
);

CREATE TABLE api_tokens (
  id           TEXT COLLATE "C" PRIMARY KEY,
  user_name    TEXT COLLATE "C" NOT NULL REFERENCES users (name) ON DELETE CASCADE,
  name         TEXT COLLATE "C" NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  created_at   TEXT COLLATE "C" NOT NULL,
  expires_at   TEXT,
  last_used_at TEXT
);

CREATE TABLE audit_log (
  seq       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        TEXT COLLATE "C" NOT NULL,
  actor     TEXT COLLATE "C" NOT NULL,
  action    TEXT COLLATE "C" NOT NULL,
  target    TEXT COLLATE "C" NOT NULL,
  namespace TEXT COLLATE "C",
  source    TEXT,
  details   TEXT
);
CREATE INDEX audit_log_by_at ON audit_log (at);
`,
  },
  {
    version: 10,
    name: 'trigger states',
    sql: `
CREATE TABLE triggers (
  namespace     TEXT COLLATE "C" NOT NULL,
  flow_id       TEXT COLLATE "C" NOT NULL,
  trigger_id    TEXT COLLATE "C" NOT NULL,
  type          TEXT,
  flow_revision INTEGER,
  next_date     TEXT,
  last_date     TEXT,
  disabled      BOOLEAN NOT NULL DEFAULT FALSE,
  execution_id  TEXT COLLATE "C",
  locked_at     TEXT,
  -- JSON: the backfill in progress, and the type's own state
  backfill      TEXT,
  data          TEXT,
  updated_at    TEXT NOT NULL,
  version       INTEGER NOT NULL,
  PRIMARY KEY (namespace, flow_id, trigger_id)
);
`,
  },
  {
    version: 11,
    name: 'the audit log refuses updates and deletes',
    // Append-only in the database itself, not only by the store's code: a statement (or another
    // client of the database) that tries to change or remove an entry is refused.
    sql: `
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
`,
  },
  ...CLUSTER_MIGRATIONS,
  RETENTION_MIGRATION,
  {
    version: 15,
    name: 'the executor claim in one call',
    // The executor claim of queue.ts run by the server: one round trip instead of four to six (BEGIN,
    // candidates, advisory locks, UPDATE, candidates again, COMMIT). The steps and their order are those
    // described there. It must stay PL/pgSQL, VOLATILE: each statement then reads a fresh snapshot, so the
    // UPDATE sees every claim committed before the advisory lock was granted (one statement reading one
    // snapshot taken before the lock could give an execution's new message to a second owner). The
    // advisory locks are the transaction's: held until the calling statement commits.
    sql: `
CREATE FUNCTION claim_executor_messages(p_now BIGINT, p_owner TEXT, p_until BIGINT, p_limit INTEGER)
RETURNS SETOF queue LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  tried TEXT[] := '{}';
  taken TEXT[] := '{}';
  candidates TEXT[];
  locked TEXT[];
  r queue;
BEGIN
  WHILE cardinality(taken) < p_limit LOOP
    candidates := ARRAY(
      SELECT q.execution_id FROM queue q
      WHERE q.queue = 'executor' AND q.visible_at <= p_now AND NOT (q.execution_id = ANY(tried))
        AND NOT EXISTS (
          SELECT 1 FROM queue o
          WHERE o.execution_id = q.execution_id AND o.queue = 'executor' AND o.locked_until > p_now
            AND o.locked_by IS NOT NULL AND o.locked_by <> p_owner)
      GROUP BY q.execution_id ORDER BY min(q.visible_at), min(q.id)
      LIMIT p_limit - cardinality(taken));
    EXIT WHEN cardinality(candidates) = 0;
    tried := tried || candidates;
    locked := ARRAY(SELECT c.e FROM unnest(candidates) AS c(e)
      WHERE pg_try_advisory_xact_lock(17063, hashtext(current_schema() || '/' || c.e)));
    CONTINUE WHEN cardinality(locked) = 0;
    FOR r IN
      UPDATE queue SET locked_by = p_owner, locked_until = p_until, visible_at = p_until,
        attempts = attempts + 1
      WHERE id IN (
        SELECT q.id FROM queue q
        WHERE q.queue = 'executor' AND q.execution_id = ANY(locked) AND q.visible_at <= p_now
          AND NOT EXISTS (
            SELECT 1 FROM queue o
            WHERE o.execution_id = q.execution_id AND o.queue = 'executor' AND o.locked_until > p_now
              AND o.locked_by IS NOT NULL AND o.locked_by <> p_owner)
        FOR UPDATE SKIP LOCKED)
      RETURNING *
    LOOP
      IF NOT (r.execution_id = ANY(taken)) THEN taken := taken || r.execution_id; END IF;
      RETURN NEXT r;
    END LOOP;
  END LOOP;
END $$;
`,
  },
  {
    version: 16,
    name: 'the executor claim tells versions and the next due message',
    // What the executor asked in separate statements after each claim, answered by the claim call: the
    // version of each claimed execution (is its cached copy current?) and when the next executor
    // message becomes visible (how long to sleep). Separate statements: each reads a fresh snapshot,
    // taken after the claim (a version read in the claim's own statement could predate a step another
    // executor committed just before the claim took the execution's new messages). The last row, with
    // no id, carries the next visible time.
    sql: `
CREATE FUNCTION claim_executor_batch(p_now BIGINT, p_owner TEXT, p_until BIGINT, p_limit INTEGER)
RETURNS TABLE (id BIGINT, queue TEXT, execution_id TEXT, payload TEXT, available_at BIGINT,
  attempts INTEGER, process TEXT, execution_version BIGINT, next_visible_at BIGINT)
LANGUAGE plpgsql VOLATILE AS $$
#variable_conflict use_column
DECLARE
  claimed queue[];
BEGIN
  claimed := ARRAY(SELECT c FROM claim_executor_messages(p_now, p_owner, p_until, p_limit) AS c);
  RETURN QUERY SELECT c.id, c.queue, c.execution_id::text, c.payload, c.available_at, c.attempts, c.process,
      (SELECT e.version FROM executions e WHERE e.id = c.execution_id)::bigint, NULL::bigint
    FROM unnest(claimed) AS c;
  RETURN QUERY SELECT NULL::bigint, NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::integer,
      NULL::text, NULL::bigint, (SELECT min(q.visible_at) FROM queue q WHERE q.queue = 'executor');
END $$;
`,
  },
];

/**
 * Applies the migrations not yet recorded in `schema_migrations`, under an advisory lock keyed on the
 * schema (the schema is created first if it is named and missing). Returns the versions applied.
 */
export async function applyMigrations(
  db: PgDb,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  const client = await db.connect();
  const lockKey = `baton.migrate:${db.schema ?? ''}`;
  let locked = false;
  try {
    await db.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey], client);
    locked = true;
    if (db.schema) await db.query(`CREATE SCHEMA IF NOT EXISTS "${db.schema}"`, [], client);
    await db.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT COLLATE "C" NOT NULL,
        applied_at TEXT NOT NULL
      )`,
      [],
      client,
    );
    const applied = new Set(
      (await db.rows<{ version: number }>('SELECT version FROM schema_migrations', [], client)).map((r) =>
        Number(r.version),
      ),
    );
    const done: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (applied.has(m.version)) continue;
      try {
        await db.query('BEGIN', [], client);
        await db.query(m.sql, [], client);
        await db.query(
          'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)',
          [m.version, m.name, new Date().toISOString()],
          client,
        );
        await db.query('COMMIT', [], client);
        done.push(m.version);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new Error(`PostgreSQL migration ${m.version} (${m.name}) failed: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    return done;
  } finally {
    if (locked)
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => undefined);
    client.release();
  }
}
