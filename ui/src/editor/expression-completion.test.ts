import { describe, expect, it } from 'vitest';
import { expressionCompletion, outputsOf } from './expression-completion.ts';

const FLOW = `id: f
namespace: a
inputs:
  - id: name
    type: STRING
  - id: count
    type: INT
variables:
  region: eu
  bucket: data
tasks:
  - id: call
    type: io.kestra.plugin.core.http.Request
    uri: https://example.com
  - id: group
    type: io.kestra.plugin.core.flow.Parallel
    tasks:
      - id: inner
        type: io.kestra.plugin.core.debug.Return
        format: x
  - id: show
    type: io.kestra.plugin.core.log.Log
    message: "CURSOR"
`;

/** The completion with the cursor where `typed` ends, typed in place of CURSOR. */
const at = (typed: string) => {
  const text = FLOW.replace('CURSOR', typed);
  return expressionCompletion(text, FLOW.indexOf('CURSOR') + typed.length);
};
const labels = (typed: string) => at(typed)?.items.map((i) => i.label);

describe('expression completion', () => {
  it("completes inputs' ids after {{ inputs. }}", () => {
    expect(labels('{{ inputs.')).toEqual(['name', 'count']);
    expect(at('{{ inputs.')?.items[1]).toEqual({ label: 'count', detail: 'input INT' });
  });

  it('replaces the word being typed', () => {
    const text = FLOW.replace('CURSOR', '{{ inputs.na');
    const offset = FLOW.indexOf('CURSOR') + '{{ inputs.na'.length;
    expect(expressionCompletion(text, offset)?.from).toBe(offset - 2);
  });

  it("completes variables' keys after vars.", () => {
    expect(labels('Hello {{ vars.')).toEqual(['region', 'bucket']);
  });

  it('completes task ids (nested ones too) after outputs., then their outputs', () => {
    expect(labels('{{ outputs.')).toEqual(['call', 'group', 'inner', 'show']);
    expect(labels('{{ outputs.call.')).toEqual(['code', 'headers', 'body', 'uri']);
    expect(labels('{{ outputs.inner.va')).toEqual(['value']);
    expect(labels('{{ outputs.show.')).toEqual([]);
    expect(at('{{ outputs.nope.')).toBeUndefined();
  });

  it('offers nothing outside {{ }} or after a closed expression', () => {
    expect(at('inputs.')).toBeUndefined();
    expect(at('{{ inputs.name }} inputs.')).toBeUndefined();
    expect(at('{{ trigger.')).toBeUndefined();
  });

  it('still completes while the YAML around is broken', () => {
    const text = 'inputs:\n  - id: a\n    type: STRING\ntasks:\n  - id: x\n    message: "{{ inputs.';
    expect(expressionCompletion(text, text.length)?.items.map((i) => i.label)).toEqual(['a']);
  });

  it('knows outputs by full and short type name', () => {
    expect(outputsOf('io.kestra.plugin.scripts.python.Script')).toContain('exitCode');
    expect(outputsOf('io.kestra.plugin.core.log.Log')).toEqual([]);
  });
});
