import { describe } from 'vitest';
import { renders, typed } from './helpers.ts';

describe('text and output', () => {
  renders([
    ['plain text', 'plain text'],
    ['', ''],
    ['{ not a tag }', '{ not a tag }'],
    ['Hello {{ inputs.name }}!', 'Hello World!'],
    ['{{inputs.name}}', 'World'],
    ['{{ inputs.name }}{{ inputs.n }}', 'World3'],
    ['a\n{{ inputs.n }}\nb', 'a\n3\nb'],
    ["{{ outputs['my-task'].value }}", 'v'],
    ['{{ outputs["my-task"].value }}', 'v'],
    ['{{ outputs.t1.vars.a.b }}', 'deep'],
    ["{{ outputs.t1['vars']['a'].b }}", 'deep'],
    ['{{ inputs.list[0] }}', '3'],
    ['{{ inputs.list.1 }}', '1'],
    ['{{ inputs.list[inputs.list[2]] }}', '2'],
    ['{{ m["my-key"] }}', 'true'],
    ['{{ inputs.nil }}', ''],
    ['{{ null }}', ''],
    ['{{ m }}', '{"a":1,"b":"x","my-key":true}'],
    ['{{ inputs.list }}', '[3,1,2]'],
    ['{{ inputs.t }}', 'true'],
    ['{{ inputs.f }}', '2.5'],
    ['{# a comment #}x', 'x'],
    ['a {# {{ nope }} #} b', 'a  b'],
  ]);
});

describe('literals', () => {
  typed([
    ['{{ 1 }}', 1],
    ['{{ -1 }}', -1],
    ['{{ 1.5 }}', 1.5],
    ['{{ 1e3 }}', 1000],
    ["{{ 'single' }}", 'single'],
    ['{{ "double" }}', 'double'],
    ["{{ 'it\\'s' }}", "it's"],
    ['{{ "a\\nb" }}', 'a\nb'],
    ['{{ "a\\tb" }}', 'a\tb'],
    ['{{ "}}" }}', '}}'],
    ['{{ true }}', true],
    ['{{ false }}', false],
    ['{{ null }}', null],
    ['{{ none }}', null],
    ['{{ [] }}', []],
    ['{{ [1, "a", [2]] }}', [1, 'a', [2]]],
    ["{{ {'k': 1, 'l': [1]} }}", { k: 1, l: [1] }],
    ['{{ {"a": {"b": {}}} }}', { a: { b: {} } }],
    ['{{ {} }}', {}],
    ["{{ {'a': 1}['a'] }}", 1],
    ['{{ [1,2,3][1] }}', 2],
  ]);
});

describe('arithmetic', () => {
  typed([
    ['{{ 1 + 2 }}', 3],
    ['{{ 5 - 7 }}', -2],
    ['{{ 3 * 4 }}', 12],
    ['{{ 7 / 2 }}', 3],
    ['{{ -7 / 2 }}', -3],
    ['{{ 7 / 2.0 }}', 3.5],
    ['{{ 7.0 / 2 }}', 3.5],
    ['{{ 7 % 3 }}', 1],
    ['{{ 1 + 2 * 3 }}', 7],
    ['{{ (1 + 2) * 3 }}', 9],
    ['{{ 10 - 2 - 3 }}', 5],
    ['{{ 2 * 3 % 4 }}', 2],
    ['{{ inputs.f * 2 }}', 5],
    ['{{ inputs.n + inputs.f }}', 5.5],
    ['{{ -inputs.n }}', -3],
    ['{{ +inputs.n }}', 3],
    ['{{ - - 2 }}', 2],
    ['{{ [1] + [2] }}', [1, 2]],
    ['{{ [1] + 2 }}', [1, 2]],
    ['{{ [1, 2, 1] - 1 }}', [2]],
    ["{{ 'a' + 'b' }}", 'ab'],
    ["{{ 'a' ~ 1 ~ true }}", 'a1true'],
    ["{{ 'n=' ~ (inputs.n + 1) }}", 'n=4'],
    ['{{ 1..4 }}', [1, 2, 3, 4]],
    ['{{ 3..1 }}', []],
    ['{{ 0.1 + 0.2 > 0.3 }}', true],
  ]);
});

describe('comparison and logic', () => {
  typed([
    ['{{ 1 == 1 }}', true],
    ['{{ 1 == 1.0 }}', true],
    ["{{ 'a' == 'a' }}", true],
    ["{{ 'a' != 'b' }}", true],
    ['{{ 1 equals 1 }}', true],
    ['{{ null == null }}', true],
    ['{{ inputs.nil == null }}', true],
    ['{{ [1, 2] == [1, 2] }}', true],
    ["{{ {'a': 1} == {'a': 1} }}", true],
    ["{{ {'a': 1} == {'a': 2} }}", false],
    ['{{ 1 < 2 }}', true],
    ['{{ 2 <= 2 }}', true],
    ['{{ 3 > 2 }}', true],
    ['{{ 2 >= 3 }}', false],
    ["{{ 'a' < 'b' }}", true],
    ['{{ true and false }}', false],
    ['{{ true or false }}', true],
    ['{{ not true }}', false],
    ['{{ not 1 == 2 }}', true],
    ['{{ 1 < 2 and 2 < 3 }}', true],
    ['{{ false or 1 == 1 and false }}', false],
    ['{{ false and nope.x }}', false],
    ['{{ true or nope.x }}', true],
    ['{{ true ? 1 : 2 }}', 1],
    ['{{ false ? 1 : 2 }}', 2],
    ['{{ inputs.n > 2 ? "big" : nope }}', 'big'],
    ['{{ inputs.n > 5 ? nope : "small" }}', 'small'],
    ['{{ false ? 1 : true ? 2 : 3 }}', 2],
    ['{{ [1, 2] contains 2 }}', true],
    ['{{ [1, 2] contains [1, 2] }}', true],
    ['{{ [1, 2] contains 3 }}', false],
    ["{{ 'hello' contains 'ell' }}", true],
    ["{{ m contains 'a' }}", true],
    ["{{ m contains 'z' }}", false],
  ]);
});

describe('tests (is ...)', () => {
  typed([
    ['{{ inputs.name is defined }}', true],
    ['{{ inputs.nope is defined }}', false],
    ['{{ nope is defined }}', false],
    ['{{ nope.deeper.still is defined }}', false],
    ['{{ inputs.nope is not defined }}', true],
    ['{{ inputs.nil is defined }}', false], // Pebble: defined is `!= null`
    ['{{ inputs.nil is null }}', true],
    ['{{ inputs.n is null }}', false],
    ['{{ inputs.n is not null }}', true],
    ['{{ inputs.empty is empty }}', true],
    ['{{ inputs.emptyMap is empty }}', true],
    ["{{ '' is empty }}", true],
    ['{{ inputs.list is empty }}', false],
    ['{{ 4 is even }}', true],
    ['{{ 3 is odd }}', true],
    ['{{ 3 is even }}', false],
    ['{{ inputs.list is iterable }}', true],
    ["{{ 'abc' is iterable }}", false],
    ['{{ m is map }}', true],
    ['{{ inputs.list is map }}', false],
    ['{{ json is json }}', true],
    ["{{ 'not json' is json }}", false],
    ['{{ 9 is divisibleby(3) }}', true],
    ['{{ not inputs.nope is defined }}', true],
    ['{{ inputs.nope is defined and inputs.nope.x }}', false],
  ]);
});

describe('null coalescing', () => {
  typed([
    ["{{ inputs.nope ?? 'fallback' }}", 'fallback'],
    ["{{ inputs.nil ?? 'fallback' }}", 'fallback'],
    ["{{ inputs.name ?? 'fallback' }}", 'World'],
    ["{{ nope.a.b ?? 'fallback' }}", 'fallback'],
    ["{{ inputs.nope ??? 'fallback' }}", 'fallback'],
    ["{{ inputs.nil ??? 'fallback' }}", null],
    ["{{ inputs.zero ?? 'fallback' }}", 0],
    ["{{ inputs.nope ?? inputs.nada ?? 'last' }}", 'last'],
    ["{{ inputs.nope ?? 'a' | upper }}", 'A'],
    ['{{ inputs.nope ?? inputs.list[0] }}', 3],
  ]);
});

describe('filters chain with Pebble precedence', () => {
  typed([
    ["{{ 'a' ~ 'b' | upper }}", 'AB'],
    ["{{ 'ab' | upper | lower }}", 'ab'],
    ['{{ 1 + [1, 2] | length }}', 3],
    ['{{ -inputs.n | abs }}', 3],
    ['{{ inputs.list | sort | first }}', 1],
    ['{{ (inputs.list | sort)[2] }}', 3],
  ]);
});
