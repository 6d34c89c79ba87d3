/**
 * The project's own flows for the JSON Schema test: one per construct (flowables and their child shapes,
 * flow-level properties, triggers), each a flow a user could write, valid for Baton and for Kestra.
 */
const flow = (id: string, body: string): string => `id: ${id}\nnamespace: baton.schema\n${body}`;

export const constructs: Record<string, string> = {
  'sequential with local errors and finally': flow(
    'seq',
    `tasks:
  - id: block
    type: io.kestra.plugin.core.flow.Sequential
    tasks:
      - id: step
        type: io.kestra.plugin.core.debug.Return
        format: "{{ task.id }}"
    errors:
      - id: on-error
        type: io.kestra.plugin.core.log.Log
        message: failed
    finally:
      - id: always
        type: io.kestra.plugin.core.log.Log
        message: done
errors:
  - id: flow-error
    type: io.kestra.plugin.core.log.Log
    message: "{{ errorLogs() }}"
`,
  ),
  'parallel, foreach with concurrency, allow-failure': flow(
    'par',
    `tasks:
  - id: fan
    type: io.kestra.plugin.core.flow.Parallel
    concurrent: 2
    tasks:
      - id: each
        type: io.kestra.plugin.core.flow.ForEach
        values: ["a", "b"]
        concurrencyLimit: 0
        tasks:
          - id: tolerate
            type: io.kestra.plugin.core.flow.AllowFailure
            tasks:
              - id: boom
                type: io.kestra.plugin.core.execution.Fail
                condition: "{{ taskrun.value == 'b' }}"
`,
  ),
  'switch with cases and defaults, if with else': flow(
    'branch',
    `inputs:
  - id: colour
    type: SELECT
    values: [red, green]
tasks:
  - id: route
    type: io.kestra.plugin.core.flow.Switch
    value: "{{ inputs.colour }}"
    cases:
      red:
        - id: stop
          type: io.kestra.plugin.core.log.Log
          message: stop
    defaults:
      - id: go
        type: io.kestra.plugin.core.flow.If
        condition: "{{ inputs.colour == 'green' }}"
        then:
          - id: yes
            type: io.kestra.plugin.core.log.Log
            message: go
        else:
          - id: no
            type: io.kestra.plugin.core.log.Log
            message: wait
`,
  ),
  'dag with dependencies': flow(
    'dag',
    `tasks:
  - id: graph
    type: io.kestra.plugin.core.flow.Dag
    tasks:
      - task:
          id: first
          type: io.kestra.plugin.core.log.Log
          message: first
      - task:
          id: second
          type: io.kestra.plugin.core.log.Log
          message: second
        dependsOn: [first]
`,
  ),
  'task options: retry, timeout, runIf, allowFailure, allowWarning, disabled': flow(
    'options',
    `tasks:
  - id: flaky
    type: io.kestra.plugin.core.execution.Fail
    timeout: PT1M
    runIf: "{{ true }}"
    allowFailure: true
    allowWarning: true
    retry:
      type: exponential
      interval: PT1S
      maxInterval: PT10S
      maxAttempt: 3
      maxDuration: PT1M
      warningOnRetry: true
  - id: off
    type: io.kestra.plugin.core.log.Log
    message: never
    disabled: true
`,
  ),
  'pause with onResume inputs, waitfor': flow(
    'pause',
    `tasks:
  - id: approve
    type: io.kestra.plugin.core.flow.Pause
    pauseDuration: PT1H
    behavior: WARN
    onResume:
      - id: comment
        type: STRING
        required: false
  - id: poll
    type: io.kestra.plugin.core.flow.WaitFor
    condition: "{{ outputs.check.value == 'ready' }}"
    checkFrequency:
      interval: PT10S
      maxIterations: 5
    tasks:
      - id: check
        type: io.kestra.plugin.core.debug.Return
        format: ready
`,
  ),
  'subflow and foreachitem': flow(
    'parent',
    `inputs:
  - id: file
    type: FILE
tasks:
  - id: child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: baton.schema
    flowId: worker
    inputs:
      mode: fast
    wait: true
    transmitFailed: false
    inheritLabels: true
    labels:
      origin: parent
  - id: batches
    type: io.kestra.plugin.core.flow.ForEachItem
    items: "{{ inputs.file }}"
    batch:
      rows: 10
    namespace: baton.schema
    flowId: worker
    inputs:
      chunk: "{{ taskrun.items }}"
`,
  ),
  'flow-level labels, variables, retry, sla, outputs': flow(
    'flow-props',
    `labels:
  team: data
variables:
  greeting: hello
retry:
  behavior: RETRY_FAILED_TASK
  type: constant
  interval: PT5S
  maxAttempt: 2
sla:
  - id: budget
    type: MAX_DURATION
    behavior: FAIL
    duration: PT1H
  - id: assert
    type: EXECUTION_ASSERTION
    behavior: NONE
    assert: "{{ outputs.pair.values.left == 'l' }}"
    labels:
      sla: violated
tasks:
  - id: pair
    type: io.kestra.plugin.core.output.OutputValues
    values:
      left: l
  - id: tag
    type: io.kestra.plugin.core.execution.Labels
    labels:
      - key: stage
        value: "{{ vars.greeting }}"
outputs:
  - id: both
    type: ARRAY
    value: ["{{ outputs.pair.values.left }}"]
`,
  ),
  'schedule and flow triggers': flow(
    'triggered',
    `tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.executionId ?? 'scheduled' }}"
triggers:
  - id: nightly
    type: io.kestra.plugin.core.trigger.Schedule
    cron: "0 2 * * *"
  - id: after-upstream
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in: [SUCCESS]
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: baton.schema
        flowId: upstream
`,
  ),
};
