/** The namespaced key-value store, as in SQLite: expired entries read as absent, overwritten on the next set. */
import type { KvEntry } from '../types.ts';
import type { PgDb, Queryable } from './db.ts';

interface KvRow {
  namespace: string;
  key: string;
  value: string;
  expires_at: string | null;
  updated_at: string;
}

/**
 * Params: namespace, key, value, expires_at, updated_at, overwrite, now. An existing entry is replaced
 * when overwriting is allowed or when it has expired (then it does not exist any more).
 */
const SET = `
INSERT INTO kv (namespace, key, value, expires_at, updated_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (namespace, key) DO UPDATE SET
  value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at
WHERE $6::boolean OR (kv.expires_at IS NOT NULL AND kv.expires_at <= $7)`;

const toEntry = (r: KvRow): KvEntry => {
  const e: KvEntry = {
    namespace: r.namespace,
    key: r.key,
    value: JSON.parse(r.value),
    updatedAt: r.updated_at,
  };
  if (r.expires_at !== null) e.expiresAt = new Date(Number(r.expires_at)).toISOString();
  return e;
};

export class PgKv {
  readonly #db: PgDb;
  readonly #now: () => number;

  constructor(db: PgDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  async set(
    namespace: string,
    key: string,
    value: unknown,
    options: { ttlMs?: number; overwrite?: boolean } = {},
    on?: Queryable,
  ): Promise<boolean> {
    if (value === undefined) throw new Error(`KV value for '${key}' is undefined: store null instead`);
    const now = this.#now();
    const expiresAt = options.ttlMs === undefined ? null : now + options.ttlMs;
    const r = await this.#db.query(
      SET,
      [
        namespace,
        key,
        JSON.stringify(value),
        expiresAt,
        new Date(now).toISOString(),
        options.overwrite ?? true,
        now,
      ],
      on,
    );
    return (r.rowCount ?? 0) > 0;
  }

  async get(namespace: string, key: string): Promise<KvEntry | undefined> {
    const row = await this.#db.one<KvRow>(
      'SELECT * FROM kv WHERE namespace = $1 AND key = $2 AND (expires_at IS NULL OR expires_at > $3)',
      [namespace, key, this.#now()],
    );
    return row ? toEntry(row) : undefined;
  }

  async list(namespace: string, prefix = ''): Promise<KvEntry[]> {
    const rows = await this.#db.rows<KvRow>(
      `SELECT * FROM kv WHERE namespace = $1 AND left(key, length($2)) = $2
         AND (expires_at IS NULL OR expires_at > $3) ORDER BY key`,
      [namespace, prefix, this.#now()],
    );
    return rows.map(toEntry);
  }

  /** Every entry of every namespace, expired ones included, by namespace and key. */
  async scan(): Promise<KvEntry[]> {
    return (await this.#db.rows<KvRow>('SELECT * FROM kv ORDER BY namespace, key')).map(toEntry);
  }

  /** True when a live entry was deleted (an expired one is removed too, but did not exist any more). */
  async delete(namespace: string, key: string, on?: Queryable): Promise<boolean> {
    const row = await this.#db.one<{ expires_at: string | null }>(
      'DELETE FROM kv WHERE namespace = $1 AND key = $2 RETURNING expires_at',
      [namespace, key],
      on,
    );
    return row !== undefined && (row.expires_at === null || Number(row.expires_at) > this.#now());
  }
}
