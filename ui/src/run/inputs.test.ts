import { describe, expect, it } from 'vitest';
import type { FlowInput } from '../api/types.ts';
import { checkValue, checkValues, initialValues, serverErrors, toFormData } from './inputs.ts';

const input = (i: Partial<FlowInput> & Pick<FlowInput, 'id' | 'type'>): FlowInput => i;

describe('run form inputs', () => {
  it('starts from the defaults, typed per field', () => {
    expect(
      initialValues([
        input({ id: 's', type: 'STRING', defaults: 'hi' }),
        input({ id: 'b', type: 'BOOLEAN', defaults: true }),
        input({ id: 'm', type: 'MULTISELECT', values: ['x', 'y'], defaults: ['y'] }),
        input({ id: 'j', type: 'JSON', defaults: { a: 1 } }),
        input({ id: 'a', type: 'ARRAY', itemType: 'INT', defaults: [1, 2] }),
        input({ id: 'f', type: 'FILE' }),
        input({ id: 'e', type: 'STRING', defaults: '{{ now() }}' }),
      ]),
    ).toEqual({ s: 'hi', b: true, m: ['y'], j: '{\n  "a": 1\n}', a: '1\n2', f: null, e: '{{ now() }}' });
  });

  it('says what is wrong with a value, per type', () => {
    expect(checkValue(input({ id: 'x', type: 'STRING' }), '')).toBe('is required');
    expect(checkValue(input({ id: 'x', type: 'STRING', required: false }), '')).toBeUndefined();
    expect(checkValue(input({ id: 'x', type: 'STRING', defaults: 'd' }), '')).toBeUndefined();
    expect(checkValue(input({ id: 'x', type: 'INT', min: 1, max: 5 }), '7')).toBe('must be at most 5');
    expect(checkValue(input({ id: 'x', type: 'INT' }), '1.5')).toBe('must be a whole number');
    expect(checkValue(input({ id: 'x', type: 'FLOAT' }), '1.5e3')).toBeUndefined();
    expect(checkValue(input({ id: 'x', type: 'EMAIL' }), 'nope')).toBe('must be an email address');
    expect(checkValue(input({ id: 'x', type: 'URI' }), 'https://example.com/a')).toBeUndefined();
    expect(checkValue(input({ id: 'x', type: 'JSON' }), '{bad')).toBe('must be valid JSON');
    expect(checkValue(input({ id: 'x', type: 'DURATION' }), 'PT5M')).toBeUndefined();
    expect(checkValue(input({ id: 'x', type: 'DURATION' }), '5 minutes')).toMatch(/ISO-8601/);
    expect(checkValue(input({ id: 'x', type: 'DATE' }), '2024-13')).toMatch(/date/);
    expect(checkValue(input({ id: 'x', type: 'TIME' }), '10:30')).toBeUndefined();
    expect(checkValue(input({ id: 'x', type: 'STRING', validator: '[a-z]+' }), 'abc1')).toBe(
      'must match [a-z]+',
    );
    expect(checkValue(input({ id: 'x', type: 'STRING', maxLength: 2 }), 'abc')).toBe(
      'must be at most 2 characters',
    );
    expect(checkValue(input({ id: 'x', type: 'ENUM', values: ['a', 'b'] }), 'c')).toBe('must be one of a, b');
    expect(checkValue(input({ id: 'x', type: 'ARRAY', itemType: 'INT' }), '1\nx')).toBe(
      "item 'x' must be a whole number",
    );
    expect(checkValue(input({ id: 'x', type: 'FILE', extension: '.csv' }), new File(['a'], 'a.txt'))).toBe(
      'must be a .csv file',
    );
    expect(checkValue(input({ id: 'x', type: 'BOOLEAN' }), false)).toBeUndefined();
    expect(
      checkValues([input({ id: 'a', type: 'INT' }), input({ id: 'b', type: 'INT' })], { a: '1', b: 'x' }),
    ).toEqual({
      b: 'must be a whole number',
    });
  });

  it('sends what was given: lists as repeated parts, files as files, defaults left to the server', async () => {
    const inputs = [
      input({ id: 'name', type: 'STRING', defaults: 'World' }),
      input({ id: 'count', type: 'INT' }),
      input({ id: 'tags', type: 'MULTISELECT', values: ['a', 'b'] }),
      input({ id: 'items', type: 'ARRAY', itemType: 'STRING' }),
      input({ id: 'flag', type: 'BOOLEAN' }),
      input({ id: 'at', type: 'DATETIME' }),
      input({ id: 'data', type: 'FILE' }),
      input({ id: 'note', type: 'STRING', required: false }),
    ];
    const form = toFormData(inputs, {
      name: 'World',
      count: '3',
      tags: ['a', 'b'],
      items: 'x\n\n y \n',
      flag: false,
      at: '2024-05-01T10:00',
      data: new File(['content'], 'data.csv'),
      note: '',
    });
    expect(form.has('name')).toBe(false);
    expect(form.get('count')).toBe('3');
    expect(form.getAll('tags')).toEqual(['a', 'b']);
    expect(form.getAll('items')).toEqual(['x', 'y']);
    expect(form.get('flag')).toBe('false');
    expect(form.get('at')).toBe(new Date('2024-05-01T10:00').toISOString());
    const file = form.get('data') as File;
    expect([file.name, await file.text()]).toEqual(['data.csv', 'content']);
    expect(form.has('note')).toBe(false);
  });

  it("reads the server's input errors by input id", () => {
    expect(
      serverErrors(
        'Invalid input for `count`, it must match the pattern\nInvalid input for `data`: a FILE input takes an uploaded file',
      ),
    ).toEqual({ count: 'it must match the pattern', data: 'a FILE input takes an uploaded file' });
    expect(serverErrors('something else')).toEqual({});
  });
});
