/** The `instances` table on PostgreSQL: one row per running Baton process (see ../rows/instances.ts). */
import {
  INSTANCE_COLUMNS,
  INSTANCE_UPDATE,
  type InstanceRow,
  instanceValues,
  toInstance,
} from '../rows/instances.ts';
import type { ClusterInstance } from '../types.ts';
import type { PgDb } from './db.ts';

const UPSERT = `INSERT INTO instances (${INSTANCE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
ON CONFLICT (id) DO UPDATE SET ${INSTANCE_UPDATE}`;

export class PgInstances {
  readonly #db: PgDb;

  constructor(db: PgDb) {
    this.#db = db;
  }

  async beat(i: ClusterInstance): Promise<void> {
    await this.#db.query(UPSERT, instanceValues(i));
  }

  async list(): Promise<ClusterInstance[]> {
    // COLLATE "C": the same order as SQLite's (byte order), whatever the database's collation.
    return (await this.#db.rows<InstanceRow>('SELECT * FROM instances ORDER BY id COLLATE "C"')).map(
      toInstance,
    );
  }

  async delete(id: string): Promise<boolean> {
    return ((await this.#db.query('DELETE FROM instances WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }
}
