/**
 * One row per registered runnable and flowable type: the smallest task that runs, and how its execution
 * must end. every-type.test.ts runs each row once per name of the type (canonical and aliases) on the
 * real embedded engine. A type added to the registry without a row here fails that test: add its row.
 */
import type { Execution, State } from '../../src/execution/types.ts';
import { amqpMqttRows } from './every-type.amqp-mqtt.ts';
import { expectEq } from './every-type.expect.ts';
import { gitAnsibleRows } from './every-type.git-ansible.ts';
import { natsRedisRows } from './every-type.nats-redis.ts';
import { notificationRows } from './every-type.notifications.ts';

export interface RowContext {
  /** The row's own namespace: flows, KV, namespace files and logs of a row never meet another's. */
  ns: string;
  /** Base URL of a local HTTP server: `GET /hello` answers `hello`, `GET /events` two Server-Sent Events. */
  http: string;
  /** Runs another flow of the row's namespace to its end (e.g. one to be resumed). */
  start(flowId: string, until?: (e: Execution) => boolean): Promise<Execution>;
}

type Props = Record<string, unknown>;

export interface TaskRow {
  /** Own properties of the task under test, whose id is `t` (id and type are added). */
  props: Props | ((c: RowContext) => Props);
  /** Tasks run before it in the same flow (e.g. one writing the file it reads). */
  before?: Props[];
  /** Other fields of the flow (inputs, triggers...). */
  flow?: Props;
  /** Other flows deployed in the row's namespace (a subflow...). */
  deploy?: Props[];
  /** Prepares the run; returns the execution's inputs. */
  setup?: (c: RowContext) => Promise<Record<string, unknown>>;
  /** Expected end state of the execution (SUCCESS by default). */
  state?: State;
  /** Further checks; `outputs` are those of the task under test. */
  check?: (e: Execution, outputs: Record<string, unknown>, c: RowContext) => void | Promise<void>;
}

/** A type Baton registers but cannot run yet: the reason is reported, and the list is reviewed in the test. */
export interface GapRow {
  gap: string;
}

const P = 'io.kestra.plugin.core';
const log = (id: string, message = id): Props => ({ id, type: `${P}.log.Log`, message });
const write = (content: string, extension = '.txt'): Props => ({
  id: 'w',
  type: `${P}.storage.Write`,
  content,
  extension,
});
const items = write('{"id":1,"k":"a"}\n{"id":2,"k":"b"}\n{"id":3,"k":"a"}\n', '.ion');
const upload: Props = {
  id: 'up',
  type: `${P}.namespace.UploadFiles`,
  namespace: '{{ flow.namespace }}',
  filesMap: { '/dir/a.txt': 'content of a' },
};
const child: Props = { id: 'child', tasks: [log('in_child')] };
const pausedFlow: Props = { id: 'paused', tasks: [{ id: 'p', type: `${P}.flow.Pause` }, log('after')] };

export const taskTable: Record<string, TaskRow | GapRow> = {
  // Flowables
  [`${P}.flow.Sequential`]: { props: { tasks: [log('a'), log('b')] } },
  [`${P}.flow.Parallel`]: { props: { tasks: [log('a'), log('b')] } },
  // biome-ignore lint/suspicious/noThenProperty: the If task's property is named `then` in Kestra's flow language.
  [`${P}.flow.If`]: { props: { condition: '{{ true }}', then: [log('yes')], else: [log('no')] } },
  [`${P}.flow.Switch`]: { props: { value: 'B', cases: { B: [log('b')] }, defaults: [log('other')] } },
  [`${P}.flow.ForEach`]: { props: { values: ['a', 'b'], tasks: [log('each', '{{ taskrun.value }}')] } },
  [`${P}.flow.EachSequential`]: {
    props: { value: '["a", "b"]', tasks: [log('each', '{{ taskrun.value }}')] },
  },
  [`${P}.flow.EachParallel`]: { props: { value: ['a', 'b'], tasks: [log('each', '{{ taskrun.value }}')] } },
  [`${P}.flow.ForEachItem`]: {
    before: [write('a\nb\n')],
    deploy: [{ id: 'batch', inputs: [{ id: 'data', type: 'FILE' }], tasks: [log('got')] }],
    props: (c) => ({
      items: '{{ outputs.w.uri }}',
      batch: { rows: 1 },
      namespace: c.ns,
      flowId: 'batch',
      inputs: { data: '{{ taskrun.items }}' },
    }),
  },
  [`${P}.flow.Dag`]: { props: { tasks: [{ task: log('a') }, { task: log('b'), dependsOn: ['a'] }] } },
  [`${P}.flow.AllowFailure`]: {
    props: { tasks: [{ id: 'f', type: `${P}.execution.Fail` }] },
    state: 'WARNING',
  },
  [`${P}.flow.Subflow`]: {
    deploy: [child],
    props: (c) => ({ namespace: c.ns, flowId: 'child', wait: true }),
  },
  [`${P}.flow.Flow`]: { deploy: [child], props: (c) => ({ namespace: c.ns, flowId: 'child', wait: true }) },
  [`${P}.flow.Pause`]: { props: { delay: 'PT0.01S' } },
  [`${P}.flow.WaitFor`]: {
    props: {
      condition: "{{ outputs.check.value != 'done' }}",
      checkFrequency: { interval: 'PT0.01S', maxIterations: 5 },
      tasks: [{ id: 'check', type: `${P}.debug.Return`, format: 'done' }],
    },
  },
  [`${P}.flow.WorkingDirectory`]: {
    props: { tasks: [{ id: 'sh', type: 'io.kestra.plugin.scripts.shell.Commands', commands: ['echo hi'] }] },
  },
  [`${P}.flow.Loop`]: {
    props: { values: ['a', 'b'], tasks: [log('each', '{{ item.value }}')] },
    check: (_e, outputs) => expectEq(outputs.iterationCount, 2, 'iterationCount'),
  },
  [`${P}.execution.SetVariables`]: {
    props: { variables: { greeting: 'hi' } },
    check: (e) => expectEq(e.variables?.greeting, 'hi', 'variables.greeting'),
  },
  [`${P}.execution.UnsetVariables`]: {
    before: [{ id: 'set', type: `${P}.execution.SetVariables`, variables: { greeting: 'hi', keep: 'k' } }],
    props: { variables: ['greeting'] },
    check: (e) => expectEq([e.variables?.greeting, e.variables?.keep], [undefined, 'k'], 'variables'),
  },
  [`${P}.flow.Template`]: {
    gap: 'templates were removed from Kestra; Baton has no template store to read `templateId` from',
  },
  // Runnables
  [`${P}.flow.Sleep`]: { props: { duration: 'PT0.01S' } },
  [`${P}.flow.PurgeFlows`]: {
    deploy: [
      { id: 'revised', tasks: [log('v1')] },
      { id: 'revised', tasks: [log('v2')] },
    ],
    props: { namespaces: ['{{ flow.namespace }}'] },
    check: (_e, o) => expectEq(o.size, 1, 'size'),
  },
  [`${P}.log.Log`]: { props: { message: 'hello' } },
  [`${P}.log.Fetch`]: {
    before: [log('first')],
    props: { level: 'INFO' },
    check: (_e, o) => expectEq(Number(o.size) >= 1, true, 'fetched lines'),
  },
  [`${P}.log.PurgeLogs`]: { props: { namespace: '{{ flow.namespace }}', endDate: '{{ now() }}' } },
  [`${P}.debug.Return`]: {
    props: { format: 'x{{ 1 + 1 }}' },
    check: (_e, o) => expectEq(o.value, 'x2', 'value'),
  },
  [`${P}.debug.Echo`]: { props: { format: 'echo' } },
  [`${P}.output.OutputValues`]: {
    props: { values: { a: 'b' } },
    check: (_e, o) => expectEq(o.values, { a: 'b' }, 'values'),
  },
  [`${P}.execution.Fail`]: { props: { errorMessage: 'boom' }, state: 'FAILED' },
  [`${P}.execution.Exit`]: { props: { condition: '{{ true }}', state: 'WARNING' }, state: 'WARNING' },
  [`${P}.execution.Assert`]: { props: { conditions: ['{{ 1 + 1 == 2 }}'] } },
  [`${P}.execution.Labels`]: {
    props: { labels: { team: 'data' } },
    check: (e) =>
      expectEq(
        e.labels.some((l) => l.key === 'team' && l.value === 'data'),
        true,
        'label team',
      ),
  },
  [`${P}.execution.Resume`]: {
    deploy: [pausedFlow],
    flow: { inputs: [{ id: 'target', type: 'STRING' }] },
    setup: async (c) => ({ target: (await c.start('paused', (e) => e.state.current === 'PAUSED')).id }),
    props: { executionId: '{{ inputs.target }}' },
  },
  [`${P}.execution.Count`]: {
    props: (c) => ({
      namespaces: [c.ns],
      expression: '{{ count >= 0 }}',
      startDate: "{{ now() | dateAdd(-1, 'DAYS') }}",
    }),
  },
  [`${P}.execution.PurgeExecutions`]: {
    props: { namespace: '{{ flow.namespace }}', endDate: "{{ now() | dateAdd(-1, 'DAYS') }}" },
  },
  [`${P}.kv.Set`]: { props: { key: 'k', value: 'v' } },
  [`${P}.kv.Put`]: {
    before: [{ id: 's', type: `${P}.kv.Set`, key: 'k', value: { a: 1 } }],
    props: { key: 'k', value: [{ key: 'b.c', value: 2 }] },
  },
  [`${P}.kv.Get`]: {
    before: [{ id: 's', type: `${P}.kv.Set`, key: 'k', value: 'v' }],
    props: { key: 'k' },
    check: (_e, o) => expectEq(o.value, 'v', 'value'),
  },
  [`${P}.kv.GetKeys`]: {
    before: [{ id: 's', type: `${P}.kv.Set`, key: 'k', value: 'v' }],
    props: {},
    check: (_e, o) => expectEq(o.keys, ['k'], 'keys'),
  },
  [`${P}.kv.Delete`]: {
    before: [{ id: 's', type: `${P}.kv.Set`, key: 'k', value: 'v' }],
    props: { key: 'k' },
    check: (_e, o) => expectEq(o.deleted, true, 'deleted'),
  },
  [`${P}.kv.PurgeKV`]: {
    before: [{ id: 's', type: `${P}.kv.Set`, key: 'k', value: 'v' }],
    props: { namespaces: ['{{ flow.namespace }}'], behavior: { type: 'key', expiredOnly: false } },
    check: (_e, o) => expectEq(o.size, 1, 'size'),
  },
  [`${P}.state.Set`]: { props: { data: { a: 1 } } },
  [`${P}.state.Get`]: { before: [{ id: 's', type: `${P}.state.Set`, data: { a: 1 } }], props: {} },
  [`${P}.state.Delete`]: { before: [{ id: 's', type: `${P}.state.Set`, data: { a: 1 } }], props: {} },
  [`${P}.storage.Write`]: { props: { content: 'hello', extension: '.txt' } },
  [`${P}.storage.Concat`]: {
    before: [write('a\n')],
    props: { files: ['{{ outputs.w.uri }}', '{{ outputs.w.uri }}'] },
  },
  [`${P}.storage.Split`]: { before: [write('a\nb\n')], props: { from: '{{ outputs.w.uri }}', rows: 1 } },
  [`${P}.storage.Size`]: {
    before: [write('abc')],
    props: { uri: '{{ outputs.w.uri }}' },
    check: (_e, o) => expectEq(o.size, 3, 'size'),
  },
  [`${P}.storage.Delete`]: { before: [write('abc')], props: { uri: '{{ outputs.w.uri }}' } },
  [`${P}.storage.LocalFiles`]: { props: { inputs: { 'a.txt': 'x' }, outputs: ['*.txt'] } },
  [`${P}.storage.PurgeCurrentExecutionFiles`]: { before: [write('abc')], props: {} },
  [`${P}.storage.DeduplicateItems`]: {
    before: [items],
    props: { from: '{{ outputs.w.uri }}', expr: '{{ k }}' },
    check: (_e, o) => expectEq([o.numKeys, o.droppedItemsTotal], [2, 1], 'numKeys, droppedItemsTotal'),
  },
  [`${P}.storage.FilterItems`]: {
    before: [items],
    props: { from: '{{ outputs.w.uri }}', filterCondition: '{{ id > 1 }}' },
    check: (_e, o) => expectEq(o.droppedItemsTotal, 1, 'droppedItemsTotal'),
  },
  [`${P}.storage.Reverse`]: { before: [write('a\nb\n')], props: { from: '{{ outputs.w.uri }}' } },
  [`${P}.templating.TemplatedTask`]: { props: { spec: `type: ${P}.log.Log\nmessage: templated` } },
  [`${P}.namespace.UploadFiles`]: {
    props: { namespace: '{{ flow.namespace }}', filesMap: { '/a.txt': 'content' } },
    check: (_e, o) => expectEq(Object.keys(o.files as object), ['/a.txt'], 'uploaded'),
  },
  [`${P}.namespace.DownloadFiles`]: {
    before: [upload],
    props: { namespace: '{{ flow.namespace }}', files: ['/dir/*.txt'] },
    check: (_e, o) => expectEq(Object.keys(o.files as object), ['/dir/a.txt'], 'downloaded'),
  },
  [`${P}.namespace.DeleteFiles`]: {
    before: [upload],
    props: { namespace: '{{ flow.namespace }}', files: 'a.txt' },
    check: (_e, o) => expectEq(o.files, ['/dir/a.txt'], 'deleted'),
  },
  [`${P}.namespace.PurgeFiles`]: {
    before: [upload],
    props: { namespaces: ['{{ flow.namespace }}'], filePattern: '**/*.txt', behavior: { type: 'version' } },
    check: (_e, o) => expectEq(o.size, 1, 'size'),
  },
  [`${P}.http.Request`]: {
    props: (c) => ({ uri: `${c.http}/hello` }),
    check: (_e, o) => expectEq(o.body, 'hello', 'body'),
  },
  [`${P}.http.Download`]: { props: (c) => ({ uri: `${c.http}/hello` }) },
  [`${P}.http.SseRequest`]: {
    props: (c) => ({ uri: `${c.http}/events` }),
    check: (_e, o) => expectEq(o.size, 2, 'events'),
  },
  // SQLite needs no server: an in-memory database per task. PostgreSQL and MariaDB are those of the machine.
  'io.kestra.plugin.jdbc.sqlite.Query': {
    props: { url: 'jdbc:sqlite::memory:', sql: 'SELECT 1 AS one', fetchType: 'FETCH_ONE' },
    check: (_e, o) => expectEq(o.row, { one: 1 }, 'row'),
  },
  'io.kestra.plugin.jdbc.sqlite.Queries': {
    props: {
      url: 'jdbc:sqlite::memory:',
      sql: 'CREATE TABLE t (a INT); SELECT 2 AS two',
      fetchType: 'FETCH',
    },
    check: (_e, o) => expectEq(o.outputs, [{ rows: [{ two: 2 }], size: 1 }], 'outputs'),
  },
  'io.kestra.plugin.jdbc.postgresql.Query': {
    props: {
      url: 'jdbc:postgresql://127.0.0.1:5432/test',
      username: 'postgres',
      sql: 'SELECT :n::int AS n',
      parameters: { n: 3 },
      fetchType: 'FETCH',
    },
    check: (_e, o) => expectEq(o.rows, [{ n: 3 }], 'rows'),
  },
  'io.kestra.plugin.jdbc.postgresql.Queries': {
    props: { url: 'jdbc:postgresql://127.0.0.1:5432/test', username: 'postgres', sql: 'SELECT 1; SELECT 2' },
    check: (_e, o) => expectEq(o.outputs, [{}, {}], 'outputs'),
  },
  'io.kestra.plugin.jdbc.mysql.Query': {
    props: {
      url: 'jdbc:mysql://127.0.0.1:3306/test',
      username: 'root',
      sql: 'SELECT 1 AS one',
      fetchType: 'STORE',
    },
    check: (_e, o) => expectEq(o.size, 1, 'size'),
  },
  'io.kestra.plugin.jdbc.mysql.Queries': {
    props: {
      url: 'jdbc:mysql://127.0.0.1:3306/test',
      username: 'root',
      sql: 'SELECT :a AS a; SELECT 2 AS b',
      parameters: { a: 'x' },
      fetchType: 'FETCH_ONE',
    },
    check: (_e, o) =>
      expectEq(
        o.outputs,
        [
          { row: { a: 'x' }, size: 1 },
          { row: { b: 2 }, size: 1 },
        ],
        'outputs',
      ),
  },
  'io.kestra.plugin.scripts.shell.Commands': { props: { commands: ['echo hi'] } },
  'io.kestra.plugin.scripts.shell.Script': { props: { script: 'echo hi' } },
  'io.kestra.plugin.scripts.node.Commands': { props: { commands: ['node -e "console.log(1)"'] } },
  'io.kestra.plugin.scripts.node.Script': { props: { script: 'console.log(1)' } },
  'io.kestra.plugin.scripts.python.Commands': { props: { commands: ['echo hi'] } },
  'io.kestra.plugin.scripts.python.Script': { props: { script: 'print(1)' } },
  [`${P}.trigger.Toggle`]: {
    flow: {
      triggers: [
        {
          id: 'on_other',
          type: `${P}.trigger.Flow`,
          conditions: [{ type: `${P}.condition.ExecutionFlow`, namespace: 'nowhere', flowId: 'none' }],
        },
      ],
    },
    props: { trigger: 'on_other', enabled: false },
  },
  ...amqpMqttRows,
  ...natsRedisRows,
  ...gitAnsibleRows,
  ...notificationRows,
};
