/** Flow-level `afterExecution`: runs once the execution has its final state, beside `errors` and `finally`. */
import { describe, expect, it } from 'vitest';
import { runFlow } from './harness.ts';

const flow = (opts: { fail?: boolean; errors?: boolean; finally?: boolean; finallyFirst?: boolean }) => {
  const main = `tasks:
  - id: main
    type: ${opts.fail ? 'io.kestra.plugin.core.execution.Fail' : 'io.kestra.plugin.core.debug.Return'}
    format: done
`;
  const errors = opts.errors
    ? `errors:
  - id: handler
    type: io.kestra.plugin.core.debug.Return
    format: handled
`
    : '';
  const fin = opts.finally
    ? `finally:
  - id: cleanup
    type: io.kestra.plugin.core.debug.Return
    format: cleaned
`
    : '';
  const after = `afterExecution:
  - id: notify
    type: io.kestra.plugin.core.debug.Return
    format: "ended {{ execution.state }}"
`;
  // YAML key order must not matter: afterExecution may come before or after finally.
  const body = opts.finallyFirst ? main + errors + fin + after : main + after + errors + fin;
  return `id: a\nnamespace: t\n${body}`;
};

describe('afterExecution', () => {
  for (const fail of [false, true])
    for (const finallyFirst of [false, true]) {
      const state = fail ? 'FAILED' : 'SUCCESS';
      it(`runs after finally (${state} flow, finally ${finallyFirst ? 'before' : 'after'} it in the YAML)`, () => {
        const sim = runFlow(flow({ fail, finally: true, finallyFirst }));
        expect(sim.state).toBe(state);
        expect(sim.run1('cleanup').state.current).toBe('SUCCESS');
        const notify = sim.run1('notify');
        expect(notify.branch).toBe('afterExecution');
        expect(notify.state.current).toBe('SUCCESS');
        expect(notify.outputs?.value).toBe(`ended ${state}`);
        // It starts once the execution ended, i.e. after the finally task.
        expect(Date.parse(notify.state.startDate)).toBeGreaterThanOrEqual(
          Date.parse(sim.run1('cleanup').state.endDate!),
        );
      });
    }

  it('runs after errors handled a failure', () => {
    const sim = runFlow(flow({ fail: true, errors: true }));
    expect(sim.state).toBe('FAILED');
    expect(sim.run1('handler').state.current).toBe('SUCCESS');
    expect(sim.run1('notify').outputs?.value).toBe('ended FAILED');
  });

  it('runs after errors and finally together', () => {
    const sim = runFlow(flow({ fail: true, errors: true, finally: true }));
    expect(sim.state).toBe('FAILED');
    expect(sim.run1('notify').outputs?.value).toBe('ended FAILED');
  });

  it('runs without finally (SUCCESS and FAILED)', () => {
    expect(runFlow(flow({})).run1('notify').outputs?.value).toBe('ended SUCCESS');
    expect(runFlow(flow({ fail: true })).run1('notify').outputs?.value).toBe('ended FAILED');
  });
});
