/** Rows of the users, api_tokens and audit_log tables as both backends read them, and their mapping. */
import type { StoredAuditEntry, StoredToken, StoredUser } from '../types.ts';

export interface UserRow {
  name: string;
  password_hash: string | null;
  bindings: string;
  /** 0 or 1 on SQLite, a boolean on PostgreSQL. */
  disabled: number | boolean;
  created_at: string;
  updated_at: string;
}

export interface TokenRow {
  id: string;
  user_name: string;
  name: string;
  hash: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
}

export interface AuditRow {
  /** A number on SQLite, a string (bigint) on PostgreSQL. */
  seq: number | string;
  at: string;
  actor: string;
  action: string;
  target: string;
  namespace: string | null;
  source: string | null;
  details: string | null;
}

export const toUser = (r: UserRow): StoredUser => ({
  name: r.name,
  ...(r.password_hash === null ? {} : { passwordHash: r.password_hash }),
  bindings: JSON.parse(r.bindings),
  disabled: r.disabled === true || Number(r.disabled) === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export const toToken = (r: TokenRow): StoredToken => ({
  id: r.id,
  user: r.user_name,
  name: r.name,
  hash: r.hash,
  createdAt: r.created_at,
  ...(r.expires_at === null ? {} : { expiresAt: r.expires_at }),
  ...(r.last_used_at === null ? {} : { lastUsedAt: r.last_used_at }),
});

export const toAudit = (r: AuditRow): StoredAuditEntry => ({
  seq: Number(r.seq),
  at: r.at,
  actor: r.actor,
  action: r.action,
  target: r.target,
  ...(r.namespace === null ? {} : { namespace: r.namespace }),
  ...(r.source === null ? {} : { source: r.source }),
  ...(r.details === null ? {} : { details: JSON.parse(r.details) }),
});
