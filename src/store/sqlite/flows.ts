/**
 * Flow revisions. A save with a source different from the latest revision (or after a delete) adds a
 * revision; the same source returns the latest one unchanged. Deleting marks every revision deleted:
 * old revisions stay readable by number, because executions of them still need their source.
 */
import type { StoredFlow } from '../types.ts';
import type { SqliteDb } from './db.ts';

interface FlowRow {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  created_at: string;
  deleted: number;
}

const COLUMNS = 'namespace, id, revision, source, created_at, deleted';
const LATEST = `SELECT ${COLUMNS} FROM flows WHERE namespace = ? AND id = ? ORDER BY revision DESC LIMIT 1`;

const toFlow = (r: FlowRow): StoredFlow => ({
  namespace: r.namespace,
  id: r.id,
  revision: Number(r.revision),
  source: r.source,
  createdAt: r.created_at,
  deleted: Number(r.deleted) !== 0,
});

export class SqliteFlows {
  readonly #db: SqliteDb;
  readonly #now: () => number;

  constructor(db: SqliteDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  save(namespace: string, id: string, source: string): StoredFlow {
    return this.#db.tx(() => {
      const latest = this.#db.get<FlowRow>(LATEST, namespace, id);
      if (latest && !latest.deleted && latest.source === source) return toFlow(latest);
      const row: FlowRow = {
        namespace,
        id,
        revision: latest ? Number(latest.revision) + 1 : 1,
        source,
        created_at: new Date(this.#now()).toISOString(),
        deleted: 0,
      };
      this.#db.run(
        `INSERT INTO flows (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`,
        row.namespace,
        row.id,
        row.revision,
        row.source,
        row.created_at,
        row.deleted,
      );
      return toFlow(row);
    });
  }

  /** A given revision (even of a deleted flow), or the latest revision if the flow is not deleted. */
  get(namespace: string, id: string, revision?: number): StoredFlow | undefined {
    if (revision !== undefined) {
      const row = this.#db.get<FlowRow>(
        `SELECT ${COLUMNS} FROM flows WHERE namespace = ? AND id = ? AND revision = ?`,
        namespace,
        id,
        revision,
      );
      return row ? toFlow(row) : undefined;
    }
    const row = this.#db.get<FlowRow>(LATEST, namespace, id);
    return row && !row.deleted ? toFlow(row) : undefined;
  }

  /** Latest revision of each flow that is not deleted, optionally of one namespace only. */
  list(namespace?: string): StoredFlow[] {
    const latest = `SELECT ${COLUMNS} FROM flows f
      WHERE revision = (SELECT MAX(revision) FROM flows g WHERE g.namespace = f.namespace AND g.id = f.id)
        AND deleted = 0`;
    const rows =
      namespace === undefined
        ? this.#db.all<FlowRow>(`${latest} ORDER BY namespace, id`)
        : this.#db.all<FlowRow>(`${latest} AND namespace = ? ORDER BY id`, namespace);
    return rows.map(toFlow);
  }

  revisions(namespace: string, id: string): StoredFlow[] {
    return this.#db
      .all<FlowRow>(
        `SELECT ${COLUMNS} FROM flows WHERE namespace = ? AND id = ? ORDER BY revision`,
        namespace,
        id,
      )
      .map(toFlow);
  }

  delete(namespace: string, id: string): void {
    this.#db.run('UPDATE flows SET deleted = 1 WHERE namespace = ? AND id = ?', namespace, id);
  }

  /** Removes revisions for good (PurgeFlows); returns how many there were. */
  deleteRevisions(namespace: string, id: string, revisions: readonly number[]): number {
    return this.#db.run(
      'DELETE FROM flows WHERE namespace = ? AND id = ? AND revision IN (SELECT value FROM json_each(?))',
      namespace,
      id,
      JSON.stringify(revisions),
    ).changes;
  }
}
