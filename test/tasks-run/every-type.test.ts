/**
 * Nothing may validate that cannot run: every registered type, under each of its names (canonical and
 * aliases), runs once on the real embedded engine (SQLite, storage, executor, worker). Runnable and
 * flowable types run the rows of every-type.table.ts; conditions and triggers are evaluated by a Flow
 * trigger (every-type.triggers.ts). A type without a row fails here, so does a row of no type.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { type Execution, isTerminal } from '../../src/execution/types.ts';
import { listDefinitions } from '../../src/tasks/registry.ts';
import type { TaskDefinition } from '../../src/tasks/types.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';
import { type GapRow, type RowContext, type TaskRow, taskTable } from './every-type.table.ts';
import { type ConditionRow, conditionTable, type TriggerRow, triggerTable } from './every-type.triggers.ts';

type Props = Record<string, unknown>;
type Row = TaskRow | ConditionRow | TriggerRow | GapRow;

const tableOf = (def: TaskDefinition): Record<string, Row> =>
  def.kind === 'condition' ? conditionTable : def.kind === 'trigger' ? triggerTable : taskTable;
const isGap = (row: Row): row is GapRow => 'gap' in row;

/** Every (type, name) pair with its row; rows are looked up by canonical type. */
const cases = listDefinitions().flatMap((def, d) =>
  [def.type, ...(def.aliases ?? [])].map((name, n) => ({ def, name, ns: `every.t${d}.n${n}` })),
);

let engine: TestEngine;
let server: Server;
let http = '';
const deployErrors = new Map<string, string>();

const rowContext = (ns: string): RowContext => ({
  ns,
  http,
  start: async (flowId, until) => engine.run(ns, flowId, {}, until ? { until } : {}),
});

const deploy = (flow: Props) => engine.deploy(stringify(flow));

/** Resolves with the first execution of `namespace.flowId` that reaches a terminal state. */
const nextEnded = (namespace: string, flowId: string): Promise<Execution> =>
  new Promise((resolve) => {
    const on = (e: Execution) => {
      if (e.namespace !== namespace || e.flowId !== flowId || !isTerminal(e.state.current)) return;
      engine.executor.off('execution', on);
      resolve(e);
    };
    engine.executor.on('execution', on);
  });

const taskFlow = (row: TaskRow, name: string, ns: string): Props => {
  const props = typeof row.props === 'function' ? row.props(rowContext(ns)) : row.props;
  return {
    id: 'main',
    namespace: ns,
    ...row.flow,
    tasks: [...(row.before ?? []), { id: 't', type: name, ...props }],
  };
};

const conditionFlows = (row: ConditionRow, name: string, ns: string): Props[] => {
  const condition = typeof row.condition === 'function' ? row.condition(ns) : row.condition;
  const onUp = { type: 'io.kestra.plugin.core.condition.ExecutionFlow', namespace: ns, flowId: 'up' };
  return [
    {
      id: 'up',
      namespace: ns,
      ...row.upFlow,
      tasks: row.up ?? [{ id: 'l', type: 'io.kestra.plugin.core.log.Log', message: 'up' }],
    },
    {
      id: 'down',
      namespace: ns,
      tasks: [{ id: 'l', type: 'io.kestra.plugin.core.log.Log', message: 'down' }],
      triggers: [
        {
          id: 'on_up',
          type: 'io.kestra.plugin.core.trigger.Flow',
          conditions: [onUp, { type: name, ...condition }],
        },
      ],
    },
  ];
};

const triggerFlows = (row: TriggerRow, name: string, ns: string): Props[] => [
  { id: 'up', namespace: ns, tasks: [{ id: 'l', type: 'io.kestra.plugin.core.log.Log', message: 'up' }] },
  {
    id: 'down',
    namespace: ns,
    tasks: [{ id: 'l', type: 'io.kestra.plugin.core.log.Log', message: 'down' }],
    triggers: [{ id: 'trigger', type: name, ...row.trigger(ns) }],
  },
];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      return res.end('data: {"n":1}\n\ndata: {"n":2}\n\n');
    }
    res.writeHead(req.url === '/hello' ? 200 : 404, { 'content-type': 'text/plain' });
    res.end(req.url === '/hello' ? 'hello' : 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  http = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  engine = await startEngine();
  // Every flow is deployed before any execution ends: the Flow-trigger evaluation caches the list of
  // flows for a moment, and a flow deployed after that would be missed.
  for (const { def, name, ns } of cases) {
    const row = tableOf(def)[def.type];
    if (!row || isGap(row)) continue;
    const flows =
      'props' in row
        ? [...(row.deploy ?? []).map((f) => ({ namespace: ns, ...f })), taskFlow(row, name, ns)]
        : 'condition' in row
          ? conditionFlows(row, name, ns)
          : triggerFlows(row, name, ns);
    // A flow that does not validate fails the test of its name (not the whole file).
    for (const flow of flows) await deploy(flow).catch((err: Error) => deployErrors.set(ns, err.message));
  }
}, 60_000);
afterAll(async () => {
  await engine?.dispose();
  server?.close();
});

describe('the registry and the table agree', () => {
  it('every registered type has a row (add one to every-type.table.ts or every-type.triggers.ts)', () => {
    const missing = listDefinitions()
      .filter((d) => !tableOf(d)[d.type])
      .map((d) => d.type);
    expect(missing).toEqual([]);
  });

  it('every row is of a registered type', () => {
    const types = new Set(listDefinitions().map((d) => d.type));
    const rows = [...Object.keys(taskTable), ...Object.keys(conditionTable), ...Object.keys(triggerTable)];
    expect(rows.filter((t) => !types.has(t))).toEqual([]);
  });

  it('the types Baton cannot run yet are exactly these (each one is a known, reported gap)', () => {
    const gaps = listDefinitions()
      .filter((d) => {
        const row = tableOf(d)[d.type];
        return row && isGap(row);
      })
      .map((d) => d.type.replace('io.kestra.plugin.core.', ''))
      // SQL triggers poll in the server's scheduler, which this engine does not run (see their rows).
      .filter((t) => !t.startsWith('io.kestra.plugin.jdbc.'));
    expect(gaps).toEqual([
      'flow.Template',
      'http.Trigger',
      'trigger.Schedule',
      'trigger.ScheduleOnDates',
      'trigger.Webhook',
      'condition.PublicHoliday',
      'io.kestra.plugin.amqp.Trigger',
      'io.kestra.plugin.amqp.RealtimeTrigger',
      'io.kestra.plugin.mqtt.Trigger',
      'io.kestra.plugin.mqtt.RealtimeTrigger',
      'io.kestra.plugin.nats.Trigger',
      'io.kestra.plugin.nats.RealtimeTrigger',
      'io.kestra.plugin.redis.list.Trigger',
      'io.kestra.plugin.redis.list.RealtimeTrigger',
      'io.kestra.plugin.fs.local.Trigger',
      'io.kestra.plugin.fs.local.RealtimeTrigger',
    ]);
  });
});

describe.each(cases.filter(({ def }) => tableOf(def)[def.type] && !isGap(tableOf(def)[def.type]!)))(
  '$name',
  ({ def, name, ns }) => {
    const row = tableOf(def)[def.type]!;
    it('runs', async () => {
      expect(deployErrors.get(ns), `flows of ${name} validate`).toBeUndefined();
      if ('props' in row) {
        const inputs = row.setup ? await row.setup(rowContext(ns)) : {};
        const e = await engine.run(ns, 'main', inputs);
        const t = e.taskRuns.find((tr) => tr.taskId === 't');
        const errors = e.taskRuns.flatMap((tr) => tr.attempts.map((a) => a.state.current)).join(',');
        expect(e.state.current, `${name} ended ${e.state.current} (${errors})`).toBe(row.state ?? 'SUCCESS');
        expect(t, `task t of ${name} ran`).toBeDefined();
        await row.check?.(e, (t?.outputs ?? {}) as Props, rowContext(ns));
      } else {
        const down = nextEnded(ns, 'down');
        await engine.run(ns, 'up');
        expect((await down).state.current).toBe('SUCCESS');
      }
    });
  },
);
