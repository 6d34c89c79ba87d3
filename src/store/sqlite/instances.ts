/** The `instances` table on SQLite: one row per running Baton process (see ../rows/instances.ts). */
import {
  INSTANCE_COLUMNS,
  INSTANCE_UPDATE,
  type InstanceRow,
  instanceValues,
  toInstance,
} from '../rows/instances.ts';
import type { ClusterInstance } from '../types.ts';
import type { SqliteDb } from './db.ts';

const UPSERT = `INSERT INTO instances (${INSTANCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET ${INSTANCE_UPDATE}`;

export class SqliteInstances {
  readonly #db: SqliteDb;

  constructor(db: SqliteDb) {
    this.#db = db;
  }

  beat(i: ClusterInstance): void {
    this.#db.run(UPSERT, ...instanceValues(i));
  }

  list(): ClusterInstance[] {
    return this.#db.all<InstanceRow>('SELECT * FROM instances ORDER BY id').map(toInstance);
  }

  delete(id: string): boolean {
    return this.#db.run('DELETE FROM instances WHERE id = ?', id).changes > 0;
  }
}
