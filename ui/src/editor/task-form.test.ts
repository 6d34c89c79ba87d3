import { describe, expect, it } from 'vitest';
import { fieldsOf, kindOf, setTaskField, taskAt } from './task-form.ts';

const FLOW = `id: f
namespace: a
tasks:
  - id: first
    type: io.kestra.plugin.core.log.Log
    message: hello # greeting
  - id: group
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: inner
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - echo one
`;

const SCHEMA = {
  definitions: {
    task: {
      allOf: [
        {
          if: { properties: { type: { enum: ['io.kestra.plugin.core.log.Log', 'log'] } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, as the server's schema has it
          then: {
            required: ['id', 'type', 'message'],
            properties: {
              id: { type: 'string' },
              type: { type: 'string' },
              disabled: { type: 'boolean' },
              retry: { anyOf: [{ type: 'object' }] },
              message: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
              level: { type: 'string', enum: ['INFO', 'WARN'] },
              timeoutSeconds: { type: 'integer' },
            },
          },
        },
      ],
    },
  },
};

describe('the task under the cursor', () => {
  it('finds the innermost task around the cursor, with its path', () => {
    expect(taskAt(FLOW, FLOW.indexOf('hello'))).toMatchObject({ path: ['tasks', 0], id: 'first' });
    expect(taskAt(FLOW, FLOW.indexOf('echo one'))).toMatchObject({
      path: ['tasks', 1, 'tasks', 0],
      id: 'inner',
      values: { commands: ['echo one'] },
    });
    expect(taskAt(FLOW, 3)).toBeUndefined();
    // Mid-edit text that does not parse: no form (it could not be written back).
    const broken = FLOW.replace('hello # greeting', '"hello');
    expect(taskAt(broken, broken.indexOf('hello'))).toBeUndefined();
    expect(setTaskField(broken, ['tasks', 0], 'level', 'WARN')).toBe(broken);
  });
});

describe('fields from the schema', () => {
  it('keeps strings, numbers, booleans, enums and string lists, in schema order', () => {
    expect(fieldsOf(SCHEMA, 'log', {}).map((f) => `${f.name}:${f.kind}`)).toEqual([
      'disabled:boolean',
      'message:string',
      'level:enum',
      'timeoutSeconds:number',
    ]);
    const level = fieldsOf(SCHEMA, 'log', {}).find((f) => f.name === 'level');
    expect(level).toMatchObject({ options: ['INFO', 'WARN'], required: false });
    expect(fieldsOf(SCHEMA, 'log', {}).find((f) => f.name === 'message')?.required).toBe(true);
    expect(fieldsOf(SCHEMA, 'unknown.Type', {})).toEqual([]);
  });

  it('picks the form of a choice that fits the current value', () => {
    const p = { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
    expect(kindOf(p, ['a'])).toBe('string[]');
    expect(kindOf(p, 'a')).toBe('string');
    expect(kindOf({ type: 'object' }, {})).toBeUndefined();
  });
});

describe('editing the YAML from the form', () => {
  it('sets a field, keeping comments and the other tasks', () => {
    const out = setTaskField(FLOW, ['tasks', 0], 'level', 'WARN');
    expect(out).toContain('message: hello # greeting\n    level: WARN\n');
    expect(out).toContain('- echo one');
  });

  it('changes lists, numbers and booleans, and removes a field emptied', () => {
    let out = setTaskField(FLOW, ['tasks', 1, 'tasks', 0], 'commands', ['echo one', 'echo two']);
    expect(out).toContain('commands:\n          - echo one\n          - echo two\n');
    out = setTaskField(out, ['tasks', 0], 'disabled', true);
    expect(out).toContain('disabled: true');
    out = setTaskField(out, ['tasks', 0], 'message', undefined);
    expect(out).not.toContain('hello');
    expect(setTaskField(FLOW, ['tasks', 0], 'timeoutSeconds', 30)).toContain('timeoutSeconds: 30');
  });
});
