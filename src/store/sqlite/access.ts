/** Users, API tokens and the append-only audit log. */
import { type AuditRow, type TokenRow, toAudit, toToken, toUser, type UserRow } from '../rows/access.ts';
import type { AuditEntry, AuditFilter, StoredAuditEntry, StoredToken, StoredUser } from '../types.ts';
import type { SqliteDb } from './db.ts';

const PUT_USER = `
INSERT INTO users (name, password_hash, bindings, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash, bindings = excluded.bindings,
  disabled = excluded.disabled, updated_at = excluded.updated_at`;

const PUT_TOKEN = `
INSERT INTO api_tokens (id, user_name, name, hash, created_at, expires_at, last_used_at)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, expires_at = excluded.expires_at`;

/**
 * Audit query: every criterion optional (NULL matches all). Params: actor, action, namespace, target,
 * since, until, limit, offset.
 */
const AUDIT_WHERE = `
WHERE (?1 IS NULL OR actor = ?1) AND (?2 IS NULL OR action = ?2 OR action LIKE ?2 || '.%')
  AND (?3 IS NULL OR namespace = ?3) AND (?4 IS NULL OR target = ?4)
  AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at <= ?6)`;
const QUERY_AUDIT = `SELECT * FROM audit_log ${AUDIT_WHERE} ORDER BY seq DESC LIMIT ?7 OFFSET ?8`;
const COUNT_AUDIT = `SELECT count(*) AS n FROM audit_log ${AUDIT_WHERE}`;

const auditCriteria = (f: AuditFilter) => [
  f.actor ?? null,
  f.action ?? null,
  f.namespace ?? null,
  f.target ?? null,
  f.since ?? null,
  f.until ?? null,
];

export class SqliteAccess {
  readonly #db: SqliteDb;
  constructor(db: SqliteDb) {
    this.#db = db;
  }

  putUser(u: StoredUser): void {
    this.#db.run(
      PUT_USER,
      u.name,
      u.passwordHash ?? null,
      JSON.stringify(u.bindings),
      u.disabled ? 1 : 0,
      u.createdAt,
      u.updatedAt,
    );
  }
  getUser(name: string): StoredUser | undefined {
    const r = this.#db.get<UserRow>('SELECT * FROM users WHERE name = ?', name);
    return r && toUser(r);
  }
  listUsers(): StoredUser[] {
    return this.#db.all<UserRow>('SELECT * FROM users ORDER BY name').map(toUser);
  }
  deleteUser(name: string): boolean {
    return this.#db.tx(() => {
      this.#db.run('DELETE FROM api_tokens WHERE user_name = ?', name);
      return this.#db.run('DELETE FROM users WHERE name = ?', name).changes > 0;
    });
  }

  putToken(t: StoredToken): void {
    this.#db.run(
      PUT_TOKEN,
      t.id,
      t.user,
      t.name,
      t.hash,
      t.createdAt,
      t.expiresAt ?? null,
      t.lastUsedAt ?? null,
    );
  }
  findTokenByHash(hash: string): StoredToken | undefined {
    const r = this.#db.get<TokenRow>('SELECT * FROM api_tokens WHERE hash = ?', hash);
    return r && toToken(r);
  }
  listTokens(user?: string): StoredToken[] {
    return this.#db
      .all<TokenRow>(
        'SELECT * FROM api_tokens WHERE (?1 IS NULL OR user_name = ?1) ORDER BY created_at, id',
        user ?? null,
      )
      .map(toToken);
  }
  deleteToken(id: string): boolean {
    return this.#db.run('DELETE FROM api_tokens WHERE id = ?', id).changes > 0;
  }
  touchToken(id: string, at: string): void {
    this.#db.run('UPDATE api_tokens SET last_used_at = ? WHERE id = ?', at, id);
  }

  appendAudit(entries: readonly AuditEntry[]): void {
    this.#db.tx(() => this.insertAudit(entries));
  }
  /** Inside a transaction already open (an execution write carrying its audit lines). */
  insertAudit(entries: readonly AuditEntry[]): void {
    for (const e of entries) {
      this.#db.run(
        'INSERT INTO audit_log (at, actor, action, target, namespace, source, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
        e.at,
        e.actor,
        e.action,
        e.target,
        e.namespace ?? null,
        e.source ?? null,
        e.details === undefined ? null : JSON.stringify(e.details),
      );
    }
  }
  queryAudit(f: AuditFilter = {}): StoredAuditEntry[] {
    return this.#db
      .all<AuditRow>(QUERY_AUDIT, ...auditCriteria(f), f.limit ?? 100, f.offset ?? 0)
      .map(toAudit);
  }
  countAudit(f: AuditFilter = {}): number {
    return Number(this.#db.get<{ n: number }>(COUNT_AUDIT, ...auditCriteria(f))?.n ?? 0);
  }
}
