/**
 * Traces across processes: `baton server` as three processes on one data folder (api / executor and
 * scheduler / worker), each exporting over OTLP/HTTP (JSON) to a receiver in this test. The spans of
 * one execution, made in all three, share one trace and hang together. Without OTEL_* variables, the
 * OpenTelemetry SDK is not even loaded.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { until } from '../helpers/schedule.ts';
import { ADMIN, startServer, type TestServer } from '../helpers/server.ts';

interface Span {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: Record<string, unknown>;
  instance: string;
}

interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface ExportRequest {
  resourceSpans: {
    resource: { attributes: KeyValue[] };
    scopeSpans: { spans: (Omit<Span, 'attributes' | 'instance'> & { attributes: KeyValue[] })[] }[];
  }[];
}

const plainValue = (v: AnyValue) =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : v.boolValue);
const attrs = (list: KeyValue[]) => Object.fromEntries(list.map((kv) => [kv.key, plainValue(kv.value)]));

const spans: Span[] = [];
const resources: Record<string, unknown>[] = [];
let receiver: Server;
let endpoint = '';
beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => {
      body += d;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const sent = JSON.parse(body) as ExportRequest;
        for (const rs of sent.resourceSpans) {
          const resource = attrs(rs.resource.attributes);
          resources.push(resource);
          for (const ss of rs.scopeSpans)
            for (const s of ss.spans)
              spans.push({
                ...s,
                attributes: attrs(s.attributes),
                instance: String(resource['service.instance.id']),
              });
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});

const dataDir = mkdtempSync(join(tmpdir(), 'baton-traces-'));
const main = new URL('../../bin/baton.js', import.meta.url).pathname;
const moduleLog = new URL('../helpers/module-log.mjs', import.meta.url).pathname;
const servers: TestServer[] = [];
const children: ChildProcess[] = [];
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  for (const s of servers) await s.dispose();
  rmSync(dataDir, { recursive: true, force: true });
  await new Promise((resolve) => receiver.close(resolve));
});

const otelEnv = () => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
  OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
  OTEL_SERVICE_NAME: 'baton-test',
  // Exported every 100 ms rather than every 5 s: the processes are stopped (and flush) anyway.
  OTEL_BSP_SCHEDULE_DELAY: '100',
  NODE_OPTIONS: `--import ${moduleLog}`,
});

/** A `baton server` without the api role (it prints no URL): started, and stopped with SIGTERM. */
const spawnPart = (roles: string) => {
  const child = spawn(
    process.execPath,
    [main, 'server', '--data', dataDir, '--roles', roles, '--log-format', 'json'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BATON_ADMIN_USER: ADMIN.user,
        BATON_ADMIN_PASSWORD: ADMIN.password,
        BATON_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
        ...otelEnv(),
      },
    },
  );
  children.push(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (output += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    output: () => output,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
};

const FLOW = `id: two
namespace: traces
tasks:
  - id: first
    type: io.kestra.plugin.core.debug.Return
    format: one
  - id: second
    type: io.kestra.plugin.core.log.Log
    message: two
`;

it('spans of one execution made by the api, executor and worker processes share one trace', async () => {
  const api = await startServer({ dataDir, args: ['--roles', 'api'], env: otelEnv() });
  servers.push(api);
  const executor = spawnPart('executor,scheduler');
  const worker = spawnPart('worker');
  await until(
    'both parts started',
    () =>
      executor.output().includes('baton server started') && worker.output().includes('baton server started'),
  );
  expect(api.output()).toContain('traces exported over OTLP');
  expect(api.output()).toMatch(/module loaded: .*otel-/);

  const deployed = await api.request('/api/v1/flows', {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: FLOW,
  });
  expect(deployed.status, await deployed.clone().text()).toBe(200);
  const started = await api.request('/api/v1/executions/traces/two', { method: 'POST' });
  expect(started.status).toBe(200);
  const { id } = (await started.json()) as { id: string };
  await until(
    'the execution ends',
    async () => {
      const e = (await (await api.request(`/api/v1/executions/${id}`)).json()) as {
        state: { current: string };
      };
      return e.state.current === 'SUCCESS';
    },
    30_000,
  );
  // Stopping flushes what each process has not exported yet.
  expect(await worker.stop()).toBe(0);
  expect(await executor.stop()).toBe(0);
  expect(await api.stop()).toBe(0);

  const execution = spans.find(
    (s) => s.name === 'execution traces.two' && s.attributes['baton.execution_id'] === id,
  );
  expect(execution).toBeDefined();
  const trace = spans.filter((s) => s.traceId === execution!.traceId);
  const named = (name: string) => trace.filter((s) => s.name === name);
  const one = (name: string) => {
    const found = named(name);
    expect(found, name).toHaveLength(1);
    return found[0]!;
  };
  const byId = new Map(trace.map((s) => [s.spanId, s]));

  // The request that started it, the creation, the execution: each under the one before.
  const request = one('POST /api/v1/executions/:namespace/:id');
  const creation = one('create execution');
  expect(creation.parentSpanId).toBe(request.spanId);
  expect(execution!.parentSpanId).toBe(creation.spanId);
  expect(execution!.attributes).toMatchObject({
    'baton.namespace': 'traces',
    'baton.flow_id': 'two',
    state: 'SUCCESS',
  });

  // Each task run under the execution, each attempt (and its queue hop) under its task run.
  for (const taskId of ['first', 'second']) {
    const run = one(`task ${taskId}`);
    expect(run.parentSpanId).toBe(execution!.spanId);
    expect(run.attributes).toMatchObject({
      'baton.task_id': taskId,
      'baton.execution_id': id,
      state: 'SUCCESS',
    });
    const attempt = one(`attempt ${taskId}`);
    expect(attempt.parentSpanId).toBe(run.spanId);
    expect(attempt.attributes).toMatchObject({
      'baton.attempt': 1,
      'baton.namespace': 'traces',
      state: 'SUCCESS',
    });
    const hops = named('receive worker').filter((s) => s.attributes['baton.task_id'] === taskId);
    expect(hops.map((h) => h.parentSpanId)).toEqual([run.spanId]);
  }
  // The executor's steps, under the execution.
  const steps = named('executor step');
  expect(steps.length).toBeGreaterThanOrEqual(3);
  for (const step of steps) expect(step.parentSpanId).toBe(execution!.spanId);
  // Every span but the request's has its parent in the trace.
  for (const s of trace) if (s !== request) expect(byId.has(s.parentSpanId!), s.name).toBe(true);

  // Made in three processes, each naming itself.
  const instances = new Set(trace.map((s) => s.instance));
  expect(instances.size).toBe(3);
  expect(
    new Set(
      named('attempt first')
        .concat(named('attempt second'))
        .map((s) => s.instance),
    ).size,
  ).toBe(1);
  expect(request.instance).not.toBe(execution!.instance);
  expect(named('attempt first')[0]!.instance).not.toBe(execution!.instance);
  for (const r of resources)
    expect(r).toMatchObject({ 'service.name': 'baton-test', 'host.name': expect.any(String) });
}, 60_000);

it('without OTEL_* variables nothing is exported and the SDK is not loaded', async () => {
  const before = spans.length;
  const server = await startServer({ env: { NODE_OPTIONS: `--import ${moduleLog}` } });
  servers.push(server);
  await server.request('/api/v1/flows', {
    method: 'POST',
    headers: { 'content-type': 'application/x-yaml' },
    body: FLOW.replace('namespace: traces', 'namespace: untraced'),
  });
  const started = await server.request('/api/v1/executions/untraced/two?wait=true', { method: 'POST' });
  expect(started.status).toBe(200);
  expect(await server.stop()).toBe(0);
  expect(server.output()).not.toContain('traces exported over OTLP');
  expect(server.output()).not.toContain('module loaded:');
  expect(spans.length).toBe(before);
});

const CHILD = `id: child
namespace: traces
tasks:
  - id: inner
    type: io.kestra.plugin.core.log.Log
    message: inner
`;
const PARENT = `id: parent
namespace: traces
tasks:
  - id: call
    type: io.kestra.plugin.core.flow.Subflow
    namespace: traces
    flowId: child
    wait: true
`;

it("a subflow's execution is in its parent's trace, created under the parent's executor step", async () => {
  const server = await startServer({ env: otelEnv() });
  servers.push(server);
  for (const body of [CHILD, PARENT]) {
    const deployed = await server.request('/api/v1/flows', {
      method: 'POST',
      headers: { 'content-type': 'application/x-yaml' },
      body,
    });
    expect(deployed.status).toBe(200);
  }
  const started = await server.request('/api/v1/executions/traces/parent?wait=true', { method: 'POST' });
  const { id, state } = (await started.json()) as { id: string; state: { current: string } };
  expect(state.current).toBe('SUCCESS');
  expect(await server.stop()).toBe(0);

  const parent = spans.find(
    (s) => s.name === 'execution traces.parent' && s.attributes['baton.execution_id'] === id,
  );
  const child = spans.find((s) => s.name === 'execution traces.child' && s.traceId === parent?.traceId);
  expect(parent).toBeDefined();
  expect(child).toBeDefined();
  const trace = new Map(spans.filter((s) => s.traceId === parent!.traceId).map((s) => [s.spanId, s]));
  const creation = trace.get(child!.parentSpanId!);
  expect(creation?.name).toBe('create execution');
  const step = trace.get(creation!.parentSpanId!);
  expect(step?.name).toBe('executor step');
  expect(step?.parentSpanId).toBe(parent!.spanId);
  const inner = [...trace.values()].find((s) => s.name === 'attempt inner');
  expect(trace.get(inner!.parentSpanId!)?.name).toBe('task inner');
  expect(trace.get(trace.get(inner!.parentSpanId!)!.parentSpanId!)).toBe(child);
}, 60_000);
