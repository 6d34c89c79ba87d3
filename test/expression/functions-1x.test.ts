/** Kestra 1.x functions, with Kestra's documented examples and its own test values. */
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type ExpressionServices, renderString, renderTyped } from '../../src/expression/index.ts';
import { ctx, fails, opts, typed } from './helpers.ts';

const services: ExpressionServices = {
  ...opts.services,
  read: () => '{id:0,name:"john"}\n{id:1,name:"john"}\n',
  fileSize: (uri) => (uri.endsWith('empty.txt') ? 0 : 12),
  fileExists: (uri) => uri === 'kestra:///company/team/f/executions/e/file.txt',
};
const withServices = { services };

describe('fromIon (Kestra FromIonFunction)', () => {
  typed(
    [
      [
        '{{ fromIon(\'{date:2024-04-21T23:00:00.000Z, title:"Main_Page",views:109787}\').title }}',
        'Main_Page',
      ],
      ["{{ fromIon('{date:2024-04-21T23:00:00.000Z}').date }}", '2024-04-21T23:00:00.000Z'],
      ['{{ fromIon(null) }}', null],
      ['{{ fromIon(m | toIon) }}', { a: 1, b: 'x', 'my-key': true }],
      ["{{ fromIon(read('kestra:///rows.ion')) }}", { id: 0, name: 'john' }],
      ["{{ fromIon(read('kestra:///rows.ion'), allRows=true) | length }}", 2],
      ["{{ (fromIon(read('kestra:///rows.ion'), allRows=true) | last).id }}", 1],
      [
        "{{ fromIon(\"ann::{'a b': [1, 2.5, 1.5e0, 0x1F, null.int, '''x''' '''y''', {{aGVsbG8=}}]}\") }}",
        { 'a b': [1, 2.5, 1.5, 31, null, 'xy', 'aGVsbG8='] },
      ],
    ],
    ctx,
    withServices,
  );
  fails([
    ["{{ fromIon('{not: ion') }}", 'Invalid Ion'],
    ['{{ fromIon() }}', "expects an argument 'ion'"],
    ['{{ fromIon(1) }}', "'ion' must be a string"],
  ]);
});

describe('identifiers: uuid, id, ksuid, nanoId', () => {
  const at = (iso: string) => ({ services: { now: () => new Date(iso) } });
  it('uuid() is a v7 UUID whose first 48 bits are the Unix milliseconds', () => {
    const u = renderString('{{ uuid() }}', ctx, at('2024-01-02T03:04:05.678Z'));
    expect(u.replace(/-/g, '').slice(0, 12)).toBe(
      Date.parse('2024-01-02T03:04:05.678Z').toString(16).padStart(12, '0'),
    );
  });
  it('id() is a 22-character base62 id', () => {
    expect(renderString('{{ id() }}', ctx)).toMatch(/^[0-9A-Za-z]{22}$/);
  });
  it('ksuid() is 27 base62 characters and sorts by creation time', () => {
    const a = renderString('{{ ksuid() }}', ctx, at('2024-01-02T03:04:05Z'));
    const b = renderString('{{ ksuid() }}', ctx, at('2024-01-02T03:04:07Z'));
    expect(a).toMatch(/^[0-9A-Za-z]{27}$/);
    expect(a < b).toBe(true);
  });
  typed([
    ['{{ nanoId() | length }}', 21],
    ['{{ nanoId(length=10) | length }}', 10],
    ["{{ nanoId(length=8, alphabet='ab') | regexMatch('^[ab]{8}$') }}", true],
    ["{{ nanoId() | regexMatch('^[0-9A-Za-z_-]{21}$') }}", true],
  ]);
  fails([['{{ nanoId(length=1001) }}', 'at most 1000']]);
});

describe('encrypt and decrypt (Kestra EncryptionService: AES-GCM, Base64 key)', () => {
  const key = Buffer.alloc(32, 7).toString('base64');
  const c = { ...ctx, key };
  typed([["{{ decrypt(key, encrypt(key, 'toto')) }}", 'toto']], c);
  it('reads what Kestra writes: IV (12 bytes), ciphertext, tag, in Base64', () => {
    const iv = Buffer.alloc(12, 1);
    const cipher = createCipheriv('aes-256-gcm', Buffer.alloc(32, 7), iv);
    const body = Buffer.concat([cipher.update('secret text', 'utf8'), cipher.final()]);
    const encrypted = Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
    expect(renderTyped('{{ decrypt(key, encrypted) }}', { key, encrypted })).toBe('secret text');
    expect(renderString("{{ encrypt(key, 'x') }}", { key })).not.toBe(
      renderString("{{ encrypt(key, 'x') }}", { key }),
    );
  });
  fails(
    [
      ["{{ encrypt('toto') }}", "expects the arguments 'key' and 'plaintext'"],
      ["{{ decrypt('toto') }}", "expects the arguments 'key' and 'encrypted'"],
      ["{{ encrypt('c2hvcnQ=', 'x') }}", 'AES key of 16, 24 or 32 bytes'],
      ["{{ decrypt('" + Buffer.alloc(32, 9).toString('base64') + "', encrypt(key, 'x')) }}", 'wrong key'],
    ],
    c,
  );
});

describe('env, fileURI, fileExists, isFileEmpty, fetchContext', () => {
  const c = { ...ctx, envs: { api_host: 'h.example', empty: '' } };
  typed(
    [
      ["{{ env('api_host') }}", 'h.example'],
      ["{{ env('api_' ~ 'host') }}", 'h.example'],
      ["{{ env('missing', 'localhost') }}", 'localhost'],
      ["{{ env('empty', 'd') }}", 'd'],
      ["{{ env('missing') }}", null],
      ["{{ fileURI('my_file.txt') }}", 'kestra:///company/team/_files/my_file.txt'],
      ["{{ fileExists('kestra:///company/team/f/executions/e/file.txt') }}", true],
      ["{{ fileExists('kestra:///nope.txt') }}", false],
      ["{{ isFileEmpty('kestra:///a/empty.txt') }}", true],
      ["{{ isFileEmpty('kestra:///a/full.txt') }}", false],
      ["{{ fileEmpty('kestra:///a/empty.txt') }}", true],
    ],
    c,
    withServices,
  );
  fails([
    ["{{ fileExists('kestra:///x') }}", 'fileExists() is not available here'],
    ["{{ isFileEmpty('kestra:///x') }}", 'isFileEmpty() is not available here'],
  ]);
  it('fetchContext() prints the context, like printContext()', () => {
    expect(JSON.parse(renderString('{{ fetchContext() }}', { a: { b: 1 } }))).toEqual({ a: { b: 1 } });
  });
});

describe('calendar functions', () => {
  typed([
    ["{{ dayOfWeek('2025-01-06') }}", 'MONDAY'],
    // The local date as written: 00:30+02:00 is still Monday, not Sunday in UTC.
    ["{{ dayOfWeek('2025-01-06T00:30:00+02:00') }}", 'MONDAY'],
    ["{{ dayOfMonth('2025-01-06T10:00:00Z') }}", 6],
    ["{{ monthOfYear('2025-03-15') }}", 3],
    ["{{ hourOfDay('2025-01-06T14:30:00+02:00') }}", 14],
    ["{{ hourOfDay('2025-01-06T14:30:00') }}", 14],
    ["{{ isWeekend('2025-01-04') }}", true],
    ["{{ isWeekend('2025-01-06T12:00:00Z') }}", false],
    ["{{ isDayWeekInMonth('2025-01-06', 'MONDAY', 'FIRST') }}", true],
    ["{{ isDayWeekInMonth('2025-01-13', 'monday', 'SECOND') }}", true],
    ["{{ isDayWeekInMonth('2025-01-27', 'MONDAY', 'LAST') }}", true],
    ["{{ isDayWeekInMonth('2025-01-20', 'MONDAY', 'LAST') }}", false],
    ["{{ isLastWorkingDay('2025-01-31') }}", true],
    ["{{ isLastWorkingDay('2025-05-30T09:00:00Z') }}", true],
    ["{{ isLastWorkingDay('2025-05-31') }}", false],
    ["{{ isLastWorkingDay('2025-01-30', 'MONDAY,TUESDAY,WEDNESDAY,THURSDAY') }}", true],
    ["{{ isDateBetween('2026-01-01T00:00:00Z', '2025-12-31T23:59:59Z', '2026-06-30T23:59:59Z') }}", true],
    [
      "{{ isDateBetween('2026-01-01T01:00:00+02:00', '2025-12-31T22:59:59Z', '2026-06-30T23:59:59Z') }}",
      true,
    ],
    ["{{ isDateBetween('2025-12-31T23:00:00Z', '2025-12-31T23:00:00Z', '2026-06-30T23:59:59Z') }}", false],
  ]);
  fails([
    ["{{ hourOfDay('2025-01-06') }}", 'cannot read the date-time'],
    ["{{ dayOfWeek('someday') }}", 'cannot read the date'],
    ['{{ dayOfWeek() }}', "expects a 'date' argument"],
    ["{{ isDayWeekInMonth('2025-01-06', 'MONDAY', 'FIFTH') }}", 'invalid position'],
    ["{{ isDayWeekInMonth('2025-01-06', 'MOONDAY', 'FIRST') }}", 'invalid day'],
    [
      "{{ isDateBetween('2026-01-01T00:00:00', '2025-12-31T23:59:59Z', '2026-06-30T23:59:59Z') }}",
      'with an offset',
    ],
  ]);
});
