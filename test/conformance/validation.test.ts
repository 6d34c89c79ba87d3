/**
 * Kestra's own test flows: every `valid/` flow must validate; every `invalid/` flow must be rejected with an
 * error naming the same problem as Kestra's (the substrings its tests assert, see EXPECTED.md).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatFlowError, loadFlowSource } from '../../src/flow/index.ts';

const root = fileURLToPath(new URL('../../../shared/conformance/kestra', import.meta.url));
const present = existsSync(root);
if (!present) console.warn(`conformance flows not found at ${root}: validation conformance tests skipped`);
const suite = present ? describe : describe.skip;

const load = (kind: 'valid' | 'invalid', file: string) =>
  loadFlowSource(readFileSync(`${root}/${kind}/${file}`, 'utf8'), `${kind}/${file}`);

const files = (kind: string): string[] =>
  present
    ? readdirSync(`${root}/${kind}`)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];

/** Substrings Kestra's tests assert for each invalid flow (EXPECTED.md, "Invalid flows"). */
const INVALID: Record<string, string[]> = {
  'dag-cyclicdependency.yaml': ['dag: Cyclic dependency detected: task1, task2'],
  'dag-notexist-task.yaml': ['dag: Not existing task id in dependency: taskX'],
  'duplicate.yaml': [
    'Duplicate task id with name [date, listen]',
    'Duplicate trigger id with name [trigger]',
  ],
  'duplicate-inputs.yaml': ['Duplicate input with name [first_input]'],
  'duplicate-parallel.yaml': ['Duplicate task id with name [t3]'],
  'duplicate-key.yaml': ["Duplicate field 'variables.tf'"],
  'empty.yaml': ['must not be empty'],
  'invalid.yaml': ['must match "^[a-zA-Z0-9][a-zA-Z0-9._-]*$"', 'must match "^[a-z0-9][a-z0-9._-]*$"'],
  'inputs.yaml': ['Invalid type: null', "missing type id property 'type'"],
  'inputs-bad-type.yaml': ['Invalid type: FOO'],
  'inputs-validation.yaml': [
    "file: no `defaults` can be set for inputs of type 'FILE'",
    'array: `itemType` cannot be `ARRAY`',
  ],
  'inputs-bad-validator-syntax.yaml': ['`validator` is not a valid regular expression'],
  'invalid-task.yaml': ['Invalid type: io.kestra.plugin.core.debug.MissingOne'],
  'invalid-property.yaml': ['Unrecognized field "invalid"'],
  'invalid-parallel.yaml': ['must not be empty'],
  'listener.yaml': ['must not be empty'],
  'recursive-flow.yaml': ['Invalid Flow: Recursive call to flow [io.kestra.tests.recursive-flow]'],
  'system-labels.yaml': [
    'System labels can only be set by Kestra itself, offending label: system.label=system_key',
  ],
  'switch-invalid.yaml': ['impossible: No task defined, neither cases or default have any tasks'],
  'workingdirectory-invalid.yaml': [
    'impossible: Only runnable tasks are allowed as children of a WorkingDirectory task',
  ],
  'workingdirectory-no-tasks.yaml': ["impossible: The 'tasks' property cannot be empty"],
};

/** How many "must not be empty" errors Kestra reports for these files. */
const EMPTY_COUNT: Record<string, number> = { 'invalid-parallel.yaml': 3, 'listener.yaml': 2 };

suite('Kestra conformance: flow validation', () => {
  it('finds the 64 valid and 22 invalid flows', () => {
    expect(files('valid')).toHaveLength(64);
    expect(files('invalid')).toHaveLength(22);
  });

  // One test per kind, each listing every flow that fails and why (rather than one test per flow):
  // the whole list is read at once, and a bare clone's count of tests is not swollen by 86 cases that
  // need ../shared.
  it('every valid flow validates', () => {
    const failures = files('valid').flatMap((file) => {
      const { flow, errors } = load('valid', file);
      if (errors.length > 0) return [`${file}: ${errors.map(formatFlowError).join('; ')}`];
      return flow ? [] : [`${file}: no flow`];
    });
    expect(failures).toEqual([]);
  });

  it('every invalid flow is rejected for the right reason, at a line and column', () => {
    const failures = files('invalid')
      .filter((f) => f !== 'worker-group.yaml')
      .flatMap((file) => {
        const { flow, errors } = load('invalid', file);
        const out: string[] = [];
        if (flow !== undefined) out.push(`${file}: accepted`);
        const messages = errors.map(formatFlowError);
        const expected = INVALID[file];
        if (expected === undefined) out.push(`${file}: no expectation written`);
        for (const substring of expected ?? [])
          if (!messages.some((m) => m.includes(substring)))
            out.push(`${file}: no error saying '${substring}' in: ${messages.join(' | ')}`);
        const empties = EMPTY_COUNT[file];
        if (empties !== undefined && messages.filter((m) => m.includes('must not be empty')).length < empties)
          out.push(`${file}: fewer than ${empties} 'must not be empty' errors`);
        for (const e of errors)
          if (e.file !== `invalid/${file}` || e.line < 1 || e.column < 1)
            out.push(`${file}: error without its place: ${formatFlowError(e)}`);
        return out;
      });
    expect(failures).toEqual([]);
  });

  it('worker-group.yaml is valid in Baton (worker groups are a Baton feature, Enterprise-only in Kestra)', () => {
    const { flow, errors } = load('invalid', 'worker-group.yaml');
    expect(errors).toEqual([]);
    expect(flow?.tasks[0]?.workerGroup).toEqual({ key: 'toto' });
  });
});
