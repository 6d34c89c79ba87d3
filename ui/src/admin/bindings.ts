/**
 * Role bindings as typed in the user form, one per line: `editor company.*`, `viewer *`. Parsed here
 * (pure, tested) so that a mistake is shown on the form before the server refuses it.
 */
import type { Binding, Role } from '../api/types.ts';
import { ROLES } from '../auth/roles.ts';

/** The server's pattern (src/server/auth/roles.ts): `*`, a namespace, or a prefix `company.*`. */
const NAMESPACE = /^(\*|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?)$/;

export const parseBindings = (text: string): { bindings: Binding[]; errors: string[] } => {
  const bindings: Binding[] = [];
  const errors: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const [role, namespace, ...rest] = line.split(/\s+/);
    if (!ROLES.includes(role as Role))
      errors.push(`line ${i + 1}: '${role}' is not a role (${ROLES.join(', ')})`);
    else if (namespace === undefined || rest.length > 0 || !NAMESPACE.test(namespace))
      errors.push(
        `line ${i + 1}: write a role then one namespace pattern: '*', 'company.team' or 'company.*'`,
      );
    else bindings.push({ role: role as Role, namespace });
  });
  return { bindings, errors };
};

export const formatBindings = (bindings: readonly Binding[]): string =>
  bindings.map((b) => `${b.role} ${b.namespace}`).join('\n');

/** What each role may do, for the roles tab and the form's help (src/server/auth/roles.ts). */
export const ROLE_HELP: Record<Role, string> = {
  viewer: 'reads flows, executions, logs, key-value pairs and triggers of the namespace',
  runner: 'viewer, and starts, kills, pauses, resumes, restarts and replays executions',
  editor: 'runner, and creates, changes and deletes flows and key-value pairs, enables or disables triggers',
  admin: "everything in the namespace; on '*' also users, API tokens and the audit log",
};
