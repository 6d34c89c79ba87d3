/**
 * Roles per namespace pattern. Each role includes the ones before it:
 * - viewer: read flows, executions, logs, KV, triggers of the namespace;
 * - runner: viewer + start, kill, pause, resume, restart, replay executions;
 * - editor: runner + create, change, delete flows and KV entries, enable or disable triggers;
 * - admin: everything, plus users, tokens and the audit log (admin of `*` only).
 * A binding's namespace is `*` (every namespace), a namespace (`company.team`, which includes its
 * sub-namespaces `company.team.x`) or a prefix pattern `company.*` (company and below).
 */
import { BatonError } from '../../errors.ts';
import type { Role, RoleBinding } from '../../store/types.ts';

export const ROLES: readonly Role[] = ['viewer', 'runner', 'editor', 'admin'];

const rank = (role: Role): number => ROLES.indexOf(role);

export const isRole = (value: unknown): value is Role => ROLES.includes(value as Role);

export const namespaceMatches = (pattern: string, namespace: string): boolean => {
  if (pattern === '*') return true;
  const base = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  return namespace === base || namespace.startsWith(`${base}.`);
};

/** Whether the bindings give `role` (or a higher one) on `namespace`. */
export const allows = (bindings: readonly RoleBinding[], role: Role, namespace: string): boolean =>
  bindings.some((b) => rank(b.role) >= rank(role) && namespaceMatches(b.namespace, namespace));

/** Whether the bindings give `role` on at least one namespace (lists are then filtered per item). */
export const allowsSomewhere = (bindings: readonly RoleBinding[], role: Role): boolean =>
  bindings.some((b) => rank(b.role) >= rank(role));

/** Whether the bindings give `role` on every namespace (`*`): users, tokens and audit need admin here. */
export const allowsEverywhere = (bindings: readonly RoleBinding[], role: Role): boolean =>
  bindings.some((b) => rank(b.role) >= rank(role) && b.namespace === '*');

/** A binding's namespace: `*`, `company.team` or `company.*`. */
export const NAMESPACE_PATTERN = /^(\*|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?)$/;

/** Parses `role` or `role:pattern` (as given to `baton users`); the pattern defaults to `*`. */
export const parseBinding = (text: string): RoleBinding => {
  const [role, namespace = '*'] = text.split(':');
  if (!isRole(role))
    throw new BatonError('INVALID_INPUT', `unknown role '${role}': one of ${ROLES.join(', ')}`);
  if (!NAMESPACE_PATTERN.test(namespace))
    throw new BatonError(
      'INVALID_INPUT',
      `invalid namespace pattern '${namespace}': '*', 'company.team' or 'company.*'`,
    );
  return { role, namespace };
};
