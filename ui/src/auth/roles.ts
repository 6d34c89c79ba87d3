/**
 * What the signed-in user may do, from their role bindings, with the server's rules (src/server/auth/
 * roles.ts): each role includes the ones before it; a binding covers `*`, a namespace and the ones below
 * it, or a prefix `company.*`. The UI hides what a role may not do; the API enforces it.
 */
import type { Binding, Role } from '../api/types.ts';

export const ROLES: readonly Role[] = ['viewer', 'runner', 'editor', 'admin'];

const rank = (role: Role): number => ROLES.indexOf(role);

export const namespaceMatches = (pattern: string, namespace: string): boolean => {
  if (pattern === '*') return true;
  const base = pattern.endsWith('.*') ? pattern.slice(0, -2) : pattern;
  return namespace === base || namespace.startsWith(`${base}.`);
};

/** Whether the bindings give `role` (or a higher one) on `namespace`. */
export const can = (bindings: readonly Binding[], role: Role, namespace: string): boolean =>
  bindings.some((b) => rank(b.role) >= rank(role) && namespaceMatches(b.namespace, namespace));

/** Whether the bindings give `role` on at least one namespace (a page's action may then apply). */
export const canSomewhere = (bindings: readonly Binding[], role: Role): boolean =>
  bindings.some((b) => rank(b.role) >= rank(role));

/** Whether the bindings give `role` on every namespace (`*`): what the admin pages need. */
export const canEverywhere = (bindings: readonly Binding[], role: Role): boolean =>
  bindings.some((b) => rank(b.role) >= rank(role) && b.namespace === '*');

/** The highest role of the bindings, for the user menu. */
export const highestRole = (bindings: readonly Binding[]): Role | undefined =>
  bindings.reduce<Role | undefined>(
    (best, b) => (best === undefined || rank(b.role) > rank(best) ? b.role : best),
    undefined,
  );

/** `editor on company.*`, `admin everywhere`. */
export const describeBinding = (b: Binding): string =>
  `${b.role} ${b.namespace === '*' ? 'everywhere' : `on ${b.namespace}`}`;
