/**
 * Flow revisions, as in SQLite (see src/store/sqlite/flows.ts): a save with a changed source adds a
 * revision, deleting marks every revision deleted. A save locks the flow's latest row (FOR UPDATE), so
 * two concurrent saves of one flow number their revisions one after the other; the first save of a new
 * flow is guarded by the primary key (the loser fails and may save again).
 */
import type { StoredFlow } from '../types.ts';
import type { PgDb } from './db.ts';

interface FlowRow {
  namespace: string;
  id: string;
  revision: number;
  source: string;
  created_at: string;
  deleted: boolean;
}

const COLUMNS = 'namespace, id, revision, source, created_at, deleted';
const LATEST = `SELECT ${COLUMNS} FROM flows WHERE namespace = $1 AND id = $2 ORDER BY revision DESC LIMIT 1`;

const toFlow = (r: FlowRow): StoredFlow => ({
  namespace: r.namespace,
  id: r.id,
  revision: Number(r.revision),
  source: r.source,
  createdAt: r.created_at,
  deleted: r.deleted,
});

export class PgFlows {
  readonly #db: PgDb;
  readonly #now: () => number;

  constructor(db: PgDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  save(namespace: string, id: string, source: string): Promise<StoredFlow> {
    return this.#db.tx(async (c) => {
      const latest = await this.#db.one<FlowRow>(`${LATEST} FOR UPDATE`, [namespace, id], c);
      if (latest && !latest.deleted && latest.source === source) return toFlow(latest);
      const row: FlowRow = {
        namespace,
        id,
        revision: latest ? Number(latest.revision) + 1 : 1,
        source,
        created_at: new Date(this.#now()).toISOString(),
        deleted: false,
      };
      await this.#db.query(
        `INSERT INTO flows (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`,
        [row.namespace, row.id, row.revision, row.source, row.created_at, row.deleted],
        c,
      );
      return toFlow(row);
    });
  }

  /** A given revision (even of a deleted flow), or the latest revision if the flow is not deleted. */
  async get(namespace: string, id: string, revision?: number): Promise<StoredFlow | undefined> {
    if (revision !== undefined) {
      const row = await this.#db.one<FlowRow>(
        `SELECT ${COLUMNS} FROM flows WHERE namespace = $1 AND id = $2 AND revision = $3`,
        [namespace, id, revision],
      );
      return row ? toFlow(row) : undefined;
    }
    const row = await this.#db.one<FlowRow>(LATEST, [namespace, id]);
    return row && !row.deleted ? toFlow(row) : undefined;
  }

  /** Latest revision of each flow that is not deleted, optionally of one namespace only. */
  async list(namespace?: string): Promise<StoredFlow[]> {
    const rows = await this.#db.rows<FlowRow>(
      `SELECT * FROM (
         SELECT DISTINCT ON (namespace, id) ${COLUMNS} FROM flows
         WHERE ($1::text IS NULL OR namespace = $1) ORDER BY namespace, id, revision DESC) latest
       WHERE NOT deleted ORDER BY namespace, id`,
      [namespace ?? null],
    );
    return rows.map(toFlow);
  }

  async revisions(namespace: string, id: string): Promise<StoredFlow[]> {
    const rows = await this.#db.rows<FlowRow>(
      `SELECT ${COLUMNS} FROM flows WHERE namespace = $1 AND id = $2 ORDER BY revision`,
      [namespace, id],
    );
    return rows.map(toFlow);
  }

  async delete(namespace: string, id: string): Promise<void> {
    await this.#db.query('UPDATE flows SET deleted = TRUE WHERE namespace = $1 AND id = $2', [namespace, id]);
  }

  /** Removes revisions for good (PurgeFlows); returns how many there were. */
  async deleteRevisions(namespace: string, id: string, revisions: readonly number[]): Promise<number> {
    const r = await this.#db.query(
      'DELETE FROM flows WHERE namespace = $1 AND id = $2 AND revision = ANY($3::int[])',
      [namespace, id, revisions],
    );
    return r.rowCount ?? 0;
  }
}
