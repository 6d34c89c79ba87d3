/** Flows of the executions API tests (test/server/executions*.test.ts). */

export const NS = 'test.exec';

export const FLOWS = [
  `id: with_file
namespace: ${NS}
inputs:
  - id: name
    type: STRING
  - id: doc
    type: FILE
tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "hello {{ inputs.name }}"
  - id: content
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(inputs.doc) }}"
outputs:
  - id: content
    type: STRING
    value: "{{ outputs.content.value }}"
`,
  `id: two_steps
namespace: ${NS}
labels:
  team: data
tasks:
  - id: first
    type: io.kestra.plugin.core.debug.Return
    format: "one"
  - id: second
    type: io.kestra.plugin.core.storage.Write
    content: "written by {{ execution.id }}"
    extension: .txt
`,
  `id: sleeper
namespace: ${NS}
tasks:
  - id: nap
    type: io.kestra.plugin.core.flow.Sleep
    duration: PT60S
`,
  `id: approval
namespace: ${NS}
tasks:
  - id: wait
    type: io.kestra.plugin.core.flow.Pause
    onResume:
      - id: approved
        type: BOOLEAN
  - id: decision
    type: io.kestra.plugin.core.debug.Return
    format: "approved={{ outputs.wait.onResume.approved }}"
`,
  `id: failing
namespace: ${NS}
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
    errorMessage: "it broke"
`,
  `id: secretive
namespace: ${NS}
tasks:
  - id: token
    type: io.kestra.plugin.core.debug.Return
    format: "token={{ secret('API_TOKEN') }}"
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "using {{ secret('API_TOKEN') }}"
outputs:
  - id: leaked
    type: STRING
    value: "{{ outputs.token.value }}"
`,
  `id: other
namespace: other.team
tasks:
  - id: x
    type: io.kestra.plugin.core.debug.Return
    format: "x"
`,
];

export const ended = (e: { state: { current: string } }) =>
  ['SUCCESS', 'WARNING', 'FAILED', 'KILLED', 'CANCELLED'].includes(e.state.current);
