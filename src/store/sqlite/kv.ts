/** The namespaced key-value store. Expired entries read as absent; they are overwritten on the next set. */
import type { KvEntry } from '../types.ts';
import type { SqliteDb } from './db.ts';

interface KvRow {
  namespace: string;
  key: string;
  value: string;
  expires_at: number | null;
  updated_at: string;
}

/**
 * Params: namespace, key, value, expires_at, updated_at, overwrite (0/1), now. An existing entry is
 * replaced when overwriting is allowed or when it has expired (then it does not exist any more).
 */
const SET = `
INSERT INTO kv (namespace, key, value, expires_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT (namespace, key) DO UPDATE SET
  value = excluded.value, expires_at = excluded.expires_at, updated_at = excluded.updated_at
WHERE ?6 = 1 OR (kv.expires_at IS NOT NULL AND kv.expires_at <= ?7)`;

const GET = `SELECT * FROM kv WHERE namespace = ? AND key = ? AND (expires_at IS NULL OR expires_at > ?)`;

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

export class SqliteKv {
  readonly #db: SqliteDb;
  readonly #now: () => number;

  constructor(db: SqliteDb, now: () => number) {
    this.#db = db;
    this.#now = now;
  }

  set(
    namespace: string,
    key: string,
    value: unknown,
    options: { ttlMs?: number; overwrite?: boolean } = {},
  ): boolean {
    if (value === undefined) throw new Error(`KV value for '${key}' is undefined: store null instead`);
    const now = this.#now();
    const expiresAt = options.ttlMs === undefined ? null : now + options.ttlMs;
    const overwrite = options.overwrite ?? true;
    const r = this.#db.run(
      SET,
      namespace,
      key,
      JSON.stringify(value),
      expiresAt,
      new Date(now).toISOString(),
      overwrite ? 1 : 0,
      now,
    );
    return r.changes > 0;
  }

  get(namespace: string, key: string): KvEntry | undefined {
    const row = this.#db.get<KvRow>(GET, namespace, key, this.#now());
    return row ? toEntry(row) : undefined;
  }

  list(namespace: string, prefix = ''): KvEntry[] {
    return this.#db
      .all<KvRow>(
        `SELECT * FROM kv WHERE namespace = ?1 AND substr(key, 1, length(?2)) = ?2
           AND (expires_at IS NULL OR expires_at > ?3) ORDER BY key`,
        namespace,
        prefix,
        this.#now(),
      )
      .map(toEntry);
  }

  /** Every entry of every namespace, expired ones included, by namespace and key. */
  scan(): KvEntry[] {
    return this.#db.all<KvRow>('SELECT * FROM kv ORDER BY namespace, key').map(toEntry);
  }

  /** True when a live entry was deleted (an expired one is removed too, but did not exist any more). */
  delete(namespace: string, key: string): boolean {
    const row = this.#db.get<{ expires_at: number | null }>(
      'DELETE FROM kv WHERE namespace = ? AND key = ? RETURNING expires_at',
      namespace,
      key,
    );
    return row !== undefined && (row.expires_at === null || Number(row.expires_at) > this.#now());
  }
}
