/**
 * `now()` in what the executor decides (runIf, If, Switch, SLA assertions, flow outputs) reads the step's
 * clock, not the wall clock: `reduce` is pure, so the same events decide the same way whenever replayed.
 */
import { describe, expect, it } from 'vitest';
import { runFlow } from './harness.ts';

const flow = `id: clock
namespace: test
tasks:
  - id: when
    type: io.kestra.plugin.core.flow.If
    condition: "{{ now() | date('yyyy') == '2025' }}"
    then:
      - id: in_2025
        type: io.kestra.plugin.core.debug.Return
        format: then
    else:
      - id: not_2025
        type: io.kestra.plugin.core.debug.Return
        format: else
  - id: only_in_2025
    type: io.kestra.plugin.core.debug.Return
    format: ran
    runIf: "{{ now() | date('yyyy') == '2025' }}"
  - id: year
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ now() | date('yyyy') }}"
    cases:
      "2025":
        - id: case_2025
          type: io.kestra.plugin.core.debug.Return
          format: case
    defaults:
      - id: other_year
        type: io.kestra.plugin.core.debug.Return
        format: default
outputs:
  - id: decidedAt
    type: STRING
    value: "{{ now() | date('yyyy-MM-dd') }}"
`;

describe('the executor clock', () => {
  it('If, runIf, Switch and flow outputs see the step time, whatever the wall clock says', () => {
    const sim = runFlow(flow);
    expect(sim.state).toBe('SUCCESS');
    const states = Object.fromEntries(sim.execution.taskRuns.map((t) => [t.taskId, t.state.current]));
    // The harness's clock starts in 2025 (T0); the wall clock is years later.
    expect(states).toMatchObject({ in_2025: 'SUCCESS', only_in_2025: 'SUCCESS', case_2025: 'SUCCESS' });
    expect(states.not_2025).toBeUndefined();
    expect(states.other_year).toBeUndefined();
    expect(String(sim.execution.outputs?.decidedAt)).toMatch(/^2025-/);
  });
});
