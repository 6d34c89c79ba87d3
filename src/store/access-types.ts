/**
 * Users, API tokens, roles and the audit log, as the store keeps them (used by the server's access
 * control, src/server/auth).
 */
/** A person or program that may sign in to the server (see src/server/auth). */
export interface StoredUser {
  name: string;
  /** scrypt hash in `scrypt$N$r$p$salt$hash` form (base64 parts); absent for a token-only account. */
  passwordHash?: string;
  /** What the user may do, per namespace pattern (see src/server/auth/roles.ts). */
  bindings: RoleBinding[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export type Role = 'viewer' | 'runner' | 'editor' | 'admin';

/** `role` on every namespace matching `namespace`: `*` (all), `company.team` or `company.*` (and below). */
export interface RoleBinding {
  role: Role;
  namespace: string;
}

/** An API token: only its hash is stored; the secret is shown once, when it is created. */
export interface StoredToken {
  id: string;
  /** The user the token acts as (with that user's roles). */
  user: string;
  name: string;
  /** SHA-256 of the secret, hex. */
  hash: string;
  createdAt: string;
  /** ISO instant after which the token is refused. */
  expiresAt?: string;
  lastUsedAt?: string;
}

/** One line of the append-only audit log: who did what, when, from where. */
export interface AuditEntry {
  /** ISO instant. */
  at: string;
  /** The user (or `anonymous` for a failed login, `webhook` for a webhook call). */
  actor: string;
  /** `flow.create`, `execution.kill`, `login.failed`... */
  action: string;
  /** What was acted on: `namespace.flowId`, an execution id, a user name... */
  target: string;
  namespace?: string;
  /** The client address. */
  source?: string;
  details?: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  seq: number;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  namespace?: string;
  target?: string;
  /** ISO instants, inclusive. */
  since?: string;
  until?: string;
  limit?: number;
  offset?: number;
}
