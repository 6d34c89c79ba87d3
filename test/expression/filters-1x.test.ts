/** Kestra 1.x filters and operators, with Kestra's documented examples and its own test values. */
import { describe, expect, it } from 'vitest';
import { renderString, renderTyped } from '../../src/expression/index.ts';
import { ctx, fails, opts, renders, typed } from './helpers.ts';

describe('yaml filter writes YAML (Kestra YamlFilter); the yaml() function parses', () => {
  renders([
    ["{{ {'key': 'value'} | yaml }}", 'key: value\n'],
    ["{{ 'string' | yaml }}", 'string\n'],
    ['{{ 1 | yaml }}', '1\n'],
    ['{{ 1.123 | yaml }}', '1.123\n'],
    ['{{ true | yaml }}', 'true\n'],
    // Jackson's INDENT_ARRAYS: dashes one space in, no `---` document marker.
    ["{{ ['string', 1, 1.123] | yaml }}", ' - string\n - 1\n - 1.123\n'],
    [
      "{{ {'a': [1, {'b': 2, 'c': 3}], 'd': {}, 'e': []} | yaml }}",
      'a:\n - 1\n - b: 2\n   c: 3\nd: {}\ne: []\n',
    ],
    ["{{ {'m': {'x': 'y'}} | yaml }}", 'm:\n  x: y\n'],
    // Quotes only where a plain scalar would read as something else.
    [
      "{{ {'t': 'true', 'n': '1', 's': 'a: b', 'ml': 'a\nb'} | yaml }}",
      't: "true"\nn: "1"\ns: "a: b"\nml: "a\\nb"\n',
    ],
    ['{{ null | yaml }}', 'null'],
    ["{{ {'k': 'v'} | yaml | indent(2) }}", 'k: v\n'],
  ]);
  typed([
    ["{{ yaml('foo: [666, 1, 2]').foo[0] }}", 666],
    ['{{ yaml(m | yaml) }}', { a: 1, b: 'x', 'my-key': true }],
    ["{{ 'a: 1' | fromYaml }}", { a: 1 }],
  ]);
});

describe('timestampNano keeps every digit (Kestra returns the long as a string)', () => {
  typed([
    [
      "{{ '2013-09-08T17:19:12.123456+02:00' | timestampNano(timeZone='Europe/Paris') }}",
      '1378653552123456000',
    ],
    // 1720505821182413123 is not a double: a float would print 1720505821182413056.
    ["{{ '2024-07-09T06:17:01.182413123Z' | timestampNano }}", '1720505821182413123'],
    ['{{ inputs.nil | timestampNano }}', null],
  ]);
});

describe('toIon (Kestra ToIonFilter)', () => {
  renders([
    ["{{ 'string' | toIon }}", '"string"'],
    ['{{ 1 | toIon }}', '1'],
    ['{{ 1.5 | toIon }}', '1.5e0'],
    ["{{ ['string', 1, 1.5] | toIon }}", '["string",1,1.5e0]'],
    ['{{ true | toIon }}', 'true'],
    ['{{ {"empty_object": {}} | toIon }}', '{empty_object:{}}'],
    ["{{ {'my-key': 'x', 'null': null} | toIon }}", `{'my-key':"x",'null':null}`],
    ['{{ null | toIon }}', 'null'],
  ]);
});

describe('regex filters', () => {
  typed([
    ["{{ 'hello world' | regexMatch(regex='hello.*') }}", true],
    ["{{ 'It costs $300' | regexMatch('[0-9]+') }}", true],
    ["{{ 'hello' | regexMatch('^[0-9]+$') }}", false],
    ["{{ inputs.nil | regexMatch('x') }}", false],
    ["{{ 'order-12345-done' | regexExtract(regex='\\\\d+') }}", '12345'],
    ["{{ 'key=value' | regexExtract('(\\\\w+)=(\\\\w+)', 2) }}", 'value'],
    ["{{ 'key=value' | regexExtract(regex='(\\\\w+)=', group=1) }}", 'key'],
    ["{{ 'abc' | regexExtract('\\\\d') }}", null],
    ["{{ 'hello world' | regexReplace(regex='world', replacement='java') }}", 'hello java'],
    ["{{ '2024-01-31' | regexReplace('(\\\\d+)-(\\\\d+)-(\\\\d+)', '$3/$2/$1') }}", '31/01/2024'],
    ["{{ 'a1b22' | regexReplace('\\\\d', '#') }}", 'a#b##'],
  ]);
  fails([
    ["{{ 'x' | regexMatch }}", "the argument 'regex' is required"],
    ["{{ 'x' | regexReplace('x') }}", "the argument 'replacement' is required"],
    ["{{ 'x' | regexMatch('(') }}", 'invalid regular expression'],
    ["{{ 'x' | regexExtract('x', 3) }}", 'no group 3'],
  ]);
});

describe('isIn operator (Kestra 0.24+)', () => {
  typed([
    ["{{ 'SUCCESS' isIn ['SUCCESS', 'KILLED', 'CANCELLED'] }}", true],
    ["{{ 'FAILED' isIn ['SUCCESS', 'KILLED', 'CANCELLED'] }}", false],
    ["{{ execution.id isIn ['exec1'] }}", true],
    // Compared as text, like Kestra's toString comparison.
    ["{{ 1 isIn ['1', '2'] }}", true],
    ["{{ 'a' isIn {'a': 1} }}", true],
    ["{{ 'x' isIn {'a': 'x'} }}", true],
    ["{{ 'z' isIn {'a': 'x'} }}", false],
    ['{{ inputs.nil isIn [null] }}', false],
    ["{{ 'x' isIn 'xyz' }}", false],
    ["{{ not ('x' isIn ['y']) }}", true],
    ["{{ 'b' isIn ['a'] or 'a' isIn ['a'] }}", true],
  ]);
  it('works in runIf-style conditions', () => {
    const c = { ...ctx, execution: { state: 'KILLED' } };
    expect(renderString("{{ execution.state isIn ['SUCCESS', 'KILLED'] }}", c, opts)).toBe('true');
    expect(renderTyped("{% if execution.state isIn ['SUCCESS'] %}y{% else %}n{% endif %}", c)).toBe('n');
  });
});
