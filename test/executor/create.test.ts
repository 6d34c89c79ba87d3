/** Building executions: disabled flows are refused; flow-triggered ones are built without input validation. */
import { describe, expect, it } from 'vitest';
import {
  buildExecution,
  buildTriggeredExecution,
  FlowDisabledError,
  InputError,
} from '../../src/executor/create.ts';
import { plainCipher } from '../../src/secrets/encryption.ts';
import { flowFromYaml } from './harness.ts';

const flow = (extra = '') =>
  flowFromYaml(`id: f
namespace: t
${extra}inputs:
  - id: required
    type: STRING
  - id: n
    type: INT
  - id: nested.value
    type: INT
  - id: withDefault
    type: STRING
    defaults: d
  - id: optional
    type: STRING
    required: false
tasks:
  - id: a
    type: io.kestra.plugin.core.log.Log
    message: hi
`);
const req = (f = flow(), inputs: Record<string, unknown> = {}) => ({
  id: 'e1',
  flow: f,
  revision: 1,
  inputs,
  now: 0,
  cipher: plainCipher,
});

describe('buildExecution', () => {
  it("refuses a disabled flow with Kestra's message", () => {
    expect(() =>
      buildExecution(req(flow('disabled: true\n'), { required: 'x', n: 1, 'nested.value': 2 })),
    ).toThrow(new FlowDisabledError(flow('disabled: true\n')));
    expect(() => buildTriggeredExecution(req(flow('disabled: true\n')))).toThrow(
      'Cannot execute a flow which is disabled: t.f',
    );
  });

  it('rejects missing and invalid inputs', () => {
    expect(() => buildExecution(req(flow(), { n: 'x' }))).toThrow(InputError);
  });
});

describe('buildTriggeredExecution', () => {
  it('keeps what fails validation as given (absent when missing) and reports it', () => {
    const { execution, warnings } = buildTriggeredExecution(req(flow(), { n: 'abc', 'nested.value': 'z' }));
    expect(execution.state.current).toBe('CREATED');
    expect(execution.inputs).toEqual({ n: 'abc', nested: { value: 'z' }, withDefault: 'd', optional: null });
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toBe('Invalid input for `required`, missing required input, but received `null`');
  });

  it('types valid inputs as usual, without warnings', () => {
    const { execution, warnings } = buildTriggeredExecution(
      req(flow(), { required: 'x', n: '42', 'nested.value': '7' }),
    );
    expect(warnings).toEqual([]);
    expect(execution.inputs).toMatchObject({ required: 'x', n: 42, nested: { value: 7 } });
  });
});
