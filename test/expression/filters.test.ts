import { describe } from 'vitest';
import { fails, typed } from './helpers.ts';

describe('string filters', () => {
  typed([
    ["{{ 'abc' | upper }}", 'ABC'],
    ["{{ 'ABC' | lower }}", 'abc'],
    ["{{ 'hello world' | capitalize }}", 'Hello world'],
    ["{{ 'hello big world' | title }}", 'Hello Big World'],
    ["{{ '  x  ' | trim }}", 'x'],
    ["{{ 'this is a long sentence' | abbreviate(7) }}", 'this...'],
    ["{{ 'short' | abbreviate(10) }}", 'short'],
    ["{{ 'a-b-c' | replace({'-': '+'}) }}", 'a+b+c'],
    ["{{ 'a.b' | replace('.', '/') }}", 'a/b'],
    ["{{ 'a1b22' | replace({'\\\\d+': '#'}, regexp=true) }}", 'a#b#'],
    ["{{ 'a,b,,c' | split(',') }}", ['a', 'b', '', 'c']],
    ["{{ 'a,b,c,,' | split(',') }}", ['a', 'b', 'c']],
    ["{{ 'a,b,c' | split(',', 2) }}", ['a', 'b,c']],
    ["{{ 'a1b2c' | split('\\\\d') }}", ['a', 'b', 'c']],
    ["{{ 'hello' | startsWith('he') }}", true],
    ["{{ 'hello' | endsWith('lo') }}", true],
    ["{{ 'hello' | endsWith('he') }}", false],
    ["{{ 'a.b.c' | substringBefore('.') }}", 'a'],
    ["{{ 'a.b.c' | substringAfter('.') }}", 'b.c'],
    ["{{ 'a.b.c' | substringBeforeLast('.') }}", 'a.b'],
    ["{{ 'a.b.c' | substringAfterLast('.') }}", 'c'],
    ["{{ 'abc' | substringAfter('x') }}", ''],
    ["{{ 'abc' | substringBefore('x') }}", 'abc'],
    ["{{ 'Héllo Wörld, Ça va?' | slugify }}", 'hello-world-ca-va'],
    ["{{ 'a\nb' | indent(2) }}", 'a\n  b'],
    ["{{ 'a\nb' | nindent(2) }}", '\n  a\n  b'],
    ["{{ 'a\nb' | indent(1, '\t') }}", 'a\n\tb'],
    ['{{ "it\'s" | escapeChar("single") }}', "it\\'s"],
    ['{{ \'say "hi"\' | escapeChar("double") }}', 'say \\"hi\\"'],
    ['{{ "it\'s" | escapeChar("shell") }}', "it'\\''s"],
    ['{{ 12 | string }}', '12'],
    ['{{ [1] | string }}', '[1]'],
    ['{{ inputs.name | raw }}', 'World'],
    ["{{ 'abc' | reverse }}", 'cba'],
    ["{{ 'abc' | length }}", 3],
    ["{{ 'abc' | first }}", 'a'],
    ["{{ 'abc' | last }}", 'c'],
    ["{{ 'abcdef' | slice(1, 3) }}", 'bc'],
  ]);
});

describe('collection filters', () => {
  typed([
    ['{{ m | keys }}', ['a', 'b', 'my-key']],
    ['{{ m | values }}', [1, 'x', true]],
    ['{{ inputs.list | length }}', 3],
    ['{{ m | length }}', 3],
    ['{{ inputs.nil | length }}', 0],
    ['{{ inputs.list | first }}', 3],
    ['{{ inputs.list | last }}', 2],
    ['{{ inputs.empty | first }}', null],
    ['{{ inputs.list | sort }}', [1, 2, 3]],
    ["{{ ['b', 'a', 'c'] | sort }}", ['a', 'b', 'c']],
    ['{{ inputs.list | rsort }}', [3, 2, 1]],
    ['{{ inputs.list | reverse }}', [2, 1, 3]],
    ['{{ [1, 2, 3, 4] | slice(1, 3) }}', [2, 3]],
    ['{{ [1, 2, 3] | slice(1) }}', [2, 3]],
    ['{{ [[1, 2], [3], 4] | flatten }}', [1, 2, 3, 4]],
    ['{{ [1, 2, 3, 4, 5] | chunk(2) }}', [[1, 2], [3, 4], [5]]],
    ['{{ [1] | merge([2, 3]) }}', [1, 2, 3]],
    ["{{ {'a': 1} | merge({'b': 2}) }}", { a: 1, b: 2 }],
    ["{{ {'a': 1} | merge({'a': 2}) }}", { a: 2 }],
    ['{{ [1, 2, 1, 3, 2] | distinct }}', [1, 2, 3]],
    ['{{ [1, 2, 3] | join(", ") }}', '1, 2, 3'],
    ['{{ [1, 2, 3] | join }}', '123'],
    ['{{ inputs.nope | default("d") }}', 'd'],
    ['{{ inputs.nil | default("d") }}', 'd'],
    ['{{ "" | default("d") }}', 'd'],
    ['{{ inputs.empty | default([0]) }}', [0]],
    ['{{ inputs.name | default("d") }}', 'World'],
    ['{{ inputs.zero | default(5) }}', 0],
    ['{{ nope.deep.er | default("d") }}', 'd'],
    ['{{ inputs.list | size }}', 3],
  ]);
});

describe('data filters', () => {
  typed([
    ['{{ m | toJson }}', '{"a":1,"b":"x","my-key":true}'],
    ['{{ [1, "a"] | json }}', '[1,"a"]'],
    ["{{ 'x' | toJson }}", '"x"'],
    ['{{ null | toJson }}', 'null'],
    ['{{ json | fromJson }}', { a: 1, b: [1, 2] }],
    ['{{ (json | fromJson).b[1] }}', 2],
    ["{{ 'a: 1\nb: [x, y]' | fromYaml }}", { a: 1, b: ['x', 'y'] }],
    ["{{ {'a': 1} | toYaml }}", 'a: 1\n'],
    ["{{ '42' | number }}", 42],
    ["{{ '4.5' | number }}", 4.5],
    ["{{ '4.5' | number('INT') }}", 4],
    ["{{ '7' | number('FLOAT') }}", 7],
    ['{{ -5 | abs }}', 5],
    ['{{ -2.5 | abs }}', 2.5],
    ["{{ 1234567.891 | numberFormat('#,##0.00') }}", '1,234,567.89'],
    ["{{ 3.14159 | numberFormat('#.##') }}", '3.14'],
    ["{{ 5 | numberFormat('000') }}", '005'],
    ["{{ 0.5 | numberFormat('0.00') }}", '0.50'],
    ["{{ 'a' | className }}", 'java.lang.String'],
    ['{{ 1 | className }}', 'java.lang.Integer'],
    ['{{ 1.5 | className }}', 'java.lang.Double'],
    ['{{ true | className }}', 'java.lang.Boolean'],
    ['{{ [1] | className }}', 'java.util.ArrayList'],
    ['{{ m | className }}', 'java.util.LinkedHashMap'],
  ]);
});

describe('jq', () => {
  typed([
    ["{{ m | jq('.a') }}", [1]],
    ["{{ m | jq('.a') | first }}", 1],
    ["{{ inputs.list | jq('.[]') }}", [3, 1, 2]],
    ["{{ inputs.list | jq('map(. * 2)') | first }}", [6, 2, 4]],
    ["{{ json | jq('.b | length') | first }}", 2],
    ["{{ m | jq('empty') }}", []],
    ["{{ m | jq('.nope') }}", [null]],
    ["{{ {'xs': [{'n': 'a'}, {'n': 'b'}]} | jq('[.xs[].n] | join(\",\")') | first }}", 'a,b'],
  ]);
  fails([
    ["{{ m | jq('.a |||') }}", 'Invalid jq filter'],
    ['{{ m | jq(\'error("boom")\') }}', 'boom'],
  ]);
});

describe('encoding filters', () => {
  typed([
    ["{{ 'hello' | base64encode }}", 'aGVsbG8='],
    ["{{ 'aGVsbG8=' | base64decode }}", 'hello'],
    ["{{ 'héllo' | base64encode | base64decode }}", 'héllo'],
    ["{{ 'a b&c=d/é' | urlencode }}", 'a+b%26c%3Dd%2F%C3%A9'],
    ["{{ 'a+b%26c' | urldecode }}", 'a b&c'],
    ["{{ 'abc' | md5 }}", '900150983cd24fb0d6963f7d28e17f72'],
    ["{{ 'abc' | sha1 }}", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    ["{{ 'abc' | sha256 }}", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      "{{ 'abc' | sha512 }}",
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    ],
  ]);
});

describe('date filters', () => {
  typed([
    ["{{ '2024-03-15T10:20:30.123Z' | date('yyyy-MM-dd') }}", '2024-03-15'],
    ["{{ execution.startDate | date('yyyy-MM-dd HH:mm:ss') }}", '2024-03-15 10:20:30'],
    ['{{ execution.startDate | date }}', '2024-03-15T10:20:30.123000Z'],
    ["{{ execution.startDate | date('iso_sec') }}", '2024-03-15T10:20:30Z'],
    ["{{ execution.startDate | date('sql_seconds') }}", '2024-03-15 10:20:30'],
    ["{{ execution.startDate | date('HH:mm', timeZone='Europe/Paris') }}", '11:20'],
    [
      "{{ execution.startDate | date('yyyy-MM-dd HH:mmXXX', timeZone='America/New_York') }}",
      '2024-03-15 06:20-04:00',
    ],
    ["{{ '2024-03-15' | date('dd/MM/yyyy') }}", '15/03/2024'],
    ["{{ '2024-03-15T08:00:00' | date('HH') }}", '08'],
    ["{{ '2024-03-15T08:00:00+02:00' | date('HH') }}", '06'],
    ["{{ '15/03/2024' | date('yyyy-MM-dd', existingFormat='dd/MM/yyyy') }}", '2024-03-15'],
    ["{{ execution.startDate | date('EEEE, MMMM d') }}", 'Friday, March 15'],
    ["{{ execution.startDate | date('EEE MMM d') }}", 'Fri Mar 15'],
    ["{{ execution.startDate | date('h a') }}", '10 AM'],
    ['{{ execution.startDate | date("yyyy-MM-dd\'T\'HH") }}', '2024-03-15T10'],
    ['{{ 0 | date("yyyy-MM-dd") }}', '1970-01-01'],
    ["{{ execution.startDate | dateAdd(1, 'DAYS') | date('yyyy-MM-dd') }}", '2024-03-16'],
    ["{{ execution.startDate | dateAdd(-2, 'HOURS') | date('HH:mm') }}", '08:20'],
    ["{{ '2024-01-31' | dateAdd(1, 'MONTHS') | date('yyyy-MM-dd') }}", '2024-02-29'],
    ["{{ '2024-01-01T00:00:00Z' | timestamp }}", 1704067200],
    ["{{ '2024-01-01T00:00:00.5Z' | timestampMilli }}", 1704067200500],
    ["{{ '2024-01-01T00:00:00.5Z' | timestampMicro }}", 1704067200500000],
    ["{{ '1970-01-01T00:00:01.000000002Z' | timestampNano }}", '1000000002'],
    ['{{ inputs.nil | date("yyyy") }}', null],
  ]);
  fails([
    ["{{ 'not a date' | date('yyyy') }}", 'Cannot read `not a date` as a date'],
    ["{{ execution.startDate | date('yyyy', timeZone='Mars/Olympus') }}", 'Unknown time zone'],
    ["{{ execution.startDate | dateAdd(1, 'EONS_X') }}", 'unknown unit'],
  ]);
});

describe('filter errors', () => {
  fails([
    ['{{ m | sort }}', 'sort expects a list'],
    ['{{ inputs.list | keys }}', 'keys expects a map'],
    ["{{ 'abc' | number }}", 'number expects a number'],
    ['{{ [1, 2] | slice(1, 5) }}', 'out of bounds'],
    ['{{ [1] | chunk(0) }}', 'size must be positive'],
    ["{{ 'x' | fromJson }}", 'Invalid JSON'],
    ["{{ '%zz' | urldecode }}", 'malformed'],
    ["{{ 'abc' | escapeChar('nope') }}", 'unknown type'],
    ["{{ 'abc' | abbreviate }}", 'missing argument'],
    ["{{ [1, 'a'] | sort }}", 'Cannot compare'],
  ]);
});
