/** Users, API tokens and the append-only audit log (see SQLite's). */
import { type AuditRow, type TokenRow, toAudit, toToken, toUser, type UserRow } from '../rows/access.ts';
import type { AuditEntry, AuditFilter, StoredAuditEntry, StoredToken, StoredUser } from '../types.ts';
import type { PgDb, Queryable } from './db.ts';

const PUT_USER = `
INSERT INTO users (name, password_hash, bindings, disabled, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, bindings = excluded.bindings,
  disabled = excluded.disabled, updated_at = excluded.updated_at`;

const PUT_TOKEN = `
INSERT INTO api_tokens (id, user_name, name, hash, created_at, expires_at, last_used_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, expires_at = excluded.expires_at`;

/**
 * Audit query: every criterion optional (NULL matches all). Params: actor, action, namespace, target,
 * since, until (then limit, offset). An action matches itself or the actions below it (`execution`
 * holds `execution.kill`); compared with left(), so that `_` and `%` are literal.
 */
const AUDIT_WHERE = `
WHERE ($1::text IS NULL OR actor = $1)
  AND ($2::text IS NULL OR action = $2 OR left(action, length($2) + 1) = $2 || '.')
  AND ($3::text IS NULL OR namespace = $3) AND ($4::text IS NULL OR target = $4)
  AND ($5::text IS NULL OR at >= $5) AND ($6::text IS NULL OR at <= $6)`;
const QUERY_AUDIT = `SELECT * FROM audit_log ${AUDIT_WHERE} ORDER BY seq DESC LIMIT $7 OFFSET $8`;
const COUNT_AUDIT = `SELECT count(*) AS n FROM audit_log ${AUDIT_WHERE}`;

/** Params: see `auditParams`. */
export const INSERT_AUDIT = `
INSERT INTO audit_log (at, actor, action, target, namespace, source, details)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])`;

/** The parameters of INSERT_AUDIT. */
export const auditParams = (entries: readonly AuditEntry[]): unknown[] => [
  entries.map((e) => e.at),
  entries.map((e) => e.actor),
  entries.map((e) => e.action),
  entries.map((e) => e.target),
  entries.map((e) => e.namespace ?? null),
  entries.map((e) => e.source ?? null),
  entries.map((e) => (e.details === undefined ? null : JSON.stringify(e.details))),
];

const auditCriteria = (f: AuditFilter) => [
  f.actor ?? null,
  f.action ?? null,
  f.namespace ?? null,
  f.target ?? null,
  f.since ?? null,
  f.until ?? null,
];

export class PgAccess {
  readonly #db: PgDb;
  constructor(db: PgDb) {
    this.#db = db;
  }

  async putUser(u: StoredUser): Promise<void> {
    await this.#db.query(PUT_USER, [
      u.name,
      u.passwordHash ?? null,
      JSON.stringify(u.bindings),
      u.disabled,
      u.createdAt,
      u.updatedAt,
    ]);
  }
  async getUser(name: string): Promise<StoredUser | undefined> {
    const r = await this.#db.one<UserRow>('SELECT * FROM users WHERE name = $1', [name]);
    return r && toUser(r);
  }
  async listUsers(): Promise<StoredUser[]> {
    return (await this.#db.rows<UserRow>('SELECT * FROM users ORDER BY name')).map(toUser);
  }
  /** The user's tokens go with it (ON DELETE CASCADE). */
  async deleteUser(name: string): Promise<boolean> {
    return ((await this.#db.query('DELETE FROM users WHERE name = $1', [name])).rowCount ?? 0) > 0;
  }

  async putToken(t: StoredToken): Promise<void> {
    await this.#db.query(PUT_TOKEN, [
      t.id,
      t.user,
      t.name,
      t.hash,
      t.createdAt,
      t.expiresAt ?? null,
      t.lastUsedAt ?? null,
    ]);
  }
  async findTokenByHash(hash: string): Promise<StoredToken | undefined> {
    const r = await this.#db.one<TokenRow>('SELECT * FROM api_tokens WHERE hash = $1', [hash]);
    return r && toToken(r);
  }
  async listTokens(user?: string): Promise<StoredToken[]> {
    const rows = await this.#db.rows<TokenRow>(
      'SELECT * FROM api_tokens WHERE ($1::text IS NULL OR user_name = $1) ORDER BY created_at, id',
      [user ?? null],
    );
    return rows.map(toToken);
  }
  async deleteToken(id: string): Promise<boolean> {
    return ((await this.#db.query('DELETE FROM api_tokens WHERE id = $1', [id])).rowCount ?? 0) > 0;
  }
  async touchToken(id: string, at: string): Promise<void> {
    await this.#db.query('UPDATE api_tokens SET last_used_at = $1 WHERE id = $2', [at, id]);
  }

  /** Appends entries, in one statement (inside a write's transaction when `on` is its connection). */
  async insertAudit(entries: readonly AuditEntry[], on?: Queryable): Promise<void> {
    if (entries.length === 0) return;
    await this.#db.query(INSERT_AUDIT, auditParams(entries), on);
  }
  async queryAudit(f: AuditFilter = {}): Promise<StoredAuditEntry[]> {
    const rows = await this.#db.rows<AuditRow>(QUERY_AUDIT, [
      ...auditCriteria(f),
      f.limit ?? 100,
      f.offset ?? 0,
    ]);
    return rows.map(toAudit);
  }
  async countAudit(f: AuditFilter = {}): Promise<number> {
    return Number((await this.#db.one<{ n: string }>(COUNT_AUDIT, auditCriteria(f)))?.n ?? 0);
  }
}
