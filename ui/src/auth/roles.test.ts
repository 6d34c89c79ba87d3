import { describe, expect, it } from 'vitest';
import type { Binding } from '../api/types.ts';
import { can, canSomewhere, describeBinding, highestRole } from './roles.ts';

describe('roles, as the server applies them', () => {
  const bindings: Binding[] = [
    { role: 'editor', namespace: 'company.*' },
    { role: 'viewer', namespace: '*' },
    { role: 'runner', namespace: 'ops' },
  ];

  it('gives a role and those below it, on the namespace, its sub-namespaces or a prefix', () => {
    expect(can(bindings, 'editor', 'company')).toBe(true);
    expect(can(bindings, 'editor', 'company.team.x')).toBe(true);
    expect(can(bindings, 'runner', 'company.team')).toBe(true);
    expect(can(bindings, 'editor', 'companyx')).toBe(false);
    expect(can(bindings, 'viewer', 'anything')).toBe(true);
    expect(can(bindings, 'runner', 'ops.daily')).toBe(true);
    expect(can(bindings, 'editor', 'ops')).toBe(false);
    expect(can(bindings, 'admin', 'company')).toBe(false);
  });

  it('tells the highest role and describes bindings for the user menu', () => {
    expect(canSomewhere(bindings, 'editor')).toBe(true);
    expect(canSomewhere(bindings, 'admin')).toBe(false);
    expect(highestRole(bindings)).toBe('editor');
    expect(highestRole([])).toBeUndefined();
    expect(describeBinding({ role: 'admin', namespace: '*' })).toBe('admin everywhere');
    expect(describeBinding(bindings[0]!)).toBe('editor on company.*');
  });
});
