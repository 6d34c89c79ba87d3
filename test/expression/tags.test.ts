import { describe } from 'vitest';
import { fails, renders } from './helpers.ts';

describe('if', () => {
  renders([
    ['{% if inputs.n > 2 %}yes{% endif %}', 'yes'],
    ['{% if inputs.n > 5 %}yes{% endif %}', ''],
    ['{% if inputs.n > 5 %}yes{% else %}no{% endif %}', 'no'],
    ['{% if inputs.n == 1 %}1{% elseif inputs.n == 3 %}3{% else %}?{% endif %}', '3'],
    ['{% if false %}a{% elseif false %}b{% else %}c{% endif %}', 'c'],
    ['{% if inputs.nope is defined %}{{ inputs.nope.x }}{% else %}safe{% endif %}', 'safe'],
    ['{% if true %}{% if false %}x{% else %}nested{% endif %}{% endif %}', 'nested'],
    ['{% if inputs.list %}non-empty{% endif %}', 'non-empty'],
    ['{% if inputs.empty %}x{% else %}empty{% endif %}', 'empty'],
  ]);
});

describe('truthiness', () => {
  renders(
    (
      [
        ['0', 'F'],
        ['-0', 'F'],
        ['0.0', 'F'],
        ["''", 'F'],
        ['null', 'F'],
        ['false', 'F'],
        ["'false'", 'F'],
        ['[]', 'F'],
        ['{}', 'F'],
        ['1', 'T'],
        ['-1', 'T'],
        ['0.5', 'T'],
        ["'0'", 'T'],
        ["'true'", 'T'],
        ["'x'", 'T'],
        ['true', 'T'],
        ['[0]', 'T'],
        ["{'a': 0}", 'T'],
      ] as [string, string][]
    ).map(([v, r]) => [`{% if ${v} %}T{% else %}F{% endif %}`, r]),
  );
});

describe('for', () => {
  renders([
    ['{% for x in inputs.list %}{{ x }}{% endfor %}', '312'],
    ['{% for x in [1, 2, 3] %}{{ loop.index }}{% endfor %}', '012'],
    ['{% for x in [1, 2, 3] %}{{ loop.first }}{% endfor %}', 'truefalsefalse'],
    ['{% for x in [1, 2, 3] %}{{ loop.last }}{% endfor %}', 'falsefalsetrue'],
    ['{% for x in [1, 2, 3] %}{{ loop.length }}{% endfor %}', '333'],
    ['{% for x in [1, 2, 3] %}{{ loop.revindex }}{% endfor %}', '210'],
    ['{% for x in [] %}x{% else %}none{% endfor %}', 'none'],
    ['{% for x in null %}x{% else %}none{% endfor %}', 'none'],
    ['{% for x in 1..3 %}{{ x }}{% endfor %}', '123'],
    ['{% for x in range(0, 4, 2) %}{{ x }}{% endfor %}', '024'],
    ["{% for e in {'a': 1, 'b': 2} %}{{ e.key }}={{ e.value }};{% endfor %}", 'a=1;b=2;'],
    ["{% for k, v in {'a': 1, 'b': 2} %}{{ k }}={{ v }};{% endfor %}", 'a=1;b=2;'],
    ['{% for i, v in ["x", "y"] %}{{ i }}{{ v }}{% endfor %}', '0x1y'],
    ['{% for a in [[1, 2], [3]] %}{% for b in a %}{{ b }}{% endfor %}|{% endfor %}', '12|3|'],
    ['{% for x in [1, 2] %}{{ x }}{% endfor %}{{ x is defined }}', '12false'],
    ['{% for x in [1,2,3] %}{% if loop.index > 0 %},{% endif %}{{ x }}{% endfor %}', '1,2,3'],
  ]);
});

describe('set', () => {
  renders([
    ['{% set x = 5 %}{{ x * 2 }}', '10'],
    ['{% set x = inputs.name | upper %}{{ x }}', 'WORLD'],
    ['{% set x = [1, 2] %}{{ x | length }}', '2'],
    ['{% set inputs = 1 %}{{ inputs }}', '1'],
    ['{% set a = 1 %}{% set a = a + 1 %}{{ a }}', '2'],
  ]);
});

describe('raw, comments and whitespace control', () => {
  renders([
    ['{% raw %}{{ inputs.name }}{% endraw %}', '{{ inputs.name }}'],
    ['{% raw %}{% if %}{% endraw %}!', '{% if %}!'],
    ['a {{- inputs.n }}', 'a3'],
    ['{{ inputs.n -}}   b', '3b'],
    ['a   {{- inputs.n -}}   b', 'a3b'],
    ['a\n  {%- if true -%}\n  x\n  {%- endif -%}\n b', 'axb'],
    ['x {#- comment -#} y', 'xy'],
    ['{% for x in [1,2] -%}\n  {{ x }}\n{%- endfor %}', '12'],
    ['a\n{% if true %}b{% endif %}\nc', 'a\nb\nc'],
  ]);
});

describe('syntax errors', () => {
  fails([
    ['{{ inputs.name', 'Unclosed tag'],
    ['{{ }}', 'Empty expression'],
    ['{{ 1 + }}', 'Unexpected'],
    ['{{ (1 + 2 }}', 'Unclosed tag'],
    ['{{ [1, 2 }}', 'Unclosed tag'],
    ["{{ 'abc }}", 'Unclosed string'],
    ['{% if true %}x', 'Missing'],
    ['{% for x in [1] %}x', 'Missing'],
    ['{% endif %}', 'Unknown or misplaced tag'],
    ['{% macro x %}', 'Unknown or misplaced tag'],
    ['{{ 1 2 }}', "Unexpected '2'"],
    ['{{ a @ b }}', "Unexpected character '@'"],
    ['{# never closed', 'Unclosed comment'],
    ['{% raw %}abc', 'Missing {% endraw %}'],
    ['{% set = 1 %}', 'Expected a name'],
    ['{{ inputs.name.toUpperCase() }}', 'Method calls'],
    ['{{ inputs | nofilter }}', "Unknown filter 'nofilter'"],
    ['{{ nofunction() }}', "Unknown function 'nofunction'"],
    ['{{ 1 is notatest }}', "Unknown test 'notatest'"],
  ]);
});
