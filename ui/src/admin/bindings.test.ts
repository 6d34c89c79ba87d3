import { describe, expect, it } from 'vitest';
import { localToIso } from './AuditTab.tsx';
import { formatBindings, parseBindings } from './bindings.ts';

describe('role bindings typed in the user form', () => {
  it('reads one binding per line, skipping empty lines', () => {
    expect(parseBindings('viewer *\n\n  editor company.*  \nrunner company.team')).toEqual({
      bindings: [
        { role: 'viewer', namespace: '*' },
        { role: 'editor', namespace: 'company.*' },
        { role: 'runner', namespace: 'company.team' },
      ],
      errors: [],
    });
  });

  it('says which line is wrong and why', () => {
    const { bindings, errors } = parseBindings('owner *\nviewer\neditor a b\nviewer bad..ns');
    expect(bindings).toEqual([]);
    expect(errors[0]).toMatch(/^line 1: 'owner' is not a role/);
    expect(errors.slice(1).map((e) => e.slice(0, 6))).toEqual(['line 2', 'line 3', 'line 4']);
  });

  it('writes bindings back as lines', () => {
    expect(
      formatBindings([
        { role: 'admin', namespace: '*' },
        { role: 'viewer', namespace: 'x' },
      ]),
    ).toBe('admin *\nviewer x');
  });

  it('turns the time range fields into instants', () => {
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('2026-11-26T10:30')).toBe(new Date('2026-11-26T10:30').toISOString());
  });
});
