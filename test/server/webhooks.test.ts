/**
 * The Webhook trigger over HTTP: synchronous outputs, a body holding `{{ ... }}` kept literal, headers
 * and query as trigger variables, conditions, wrong key, disabled trigger, over-size body, audit.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { type ApiExecution, dataDirWithFlows, waitForState } from '../helpers/api.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const NS = 'test.hooks';
const KEY = 'k3y-for-the-tests';

const FLOWS = [
  `id: sync
namespace: ${NS}
inputs:
  - id: who
    type: STRING
tasks:
  - id: greet
    type: io.kestra.plugin.core.debug.Return
    format: "hello {{ inputs.who }}"
outputs:
  - id: greeting
    type: STRING
    value: "{{ outputs.greet.value }}"
  - id: agent
    type: STRING
    value: "{{ trigger.headers['x-agent'][0] ?? 'none' }}"
triggers:
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ${KEY}
    wait: true
    returnOutputs: true
    inputs:
      who: "{{ trigger.body.name }}"
`,
  `id: async
namespace: ${NS}
tasks:
  - id: echo
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.body }}"
triggers:
  - id: off
    type: io.kestra.plugin.core.trigger.Webhook
    key: disabled-key
    disabled: true
  - id: hook
    type: io.kestra.plugin.core.trigger.Webhook
    key: ${KEY}
    conditions:
      - type: io.kestra.plugin.core.condition.Expression
        expression: "{{ trigger.parameters.go[0] == 'yes' }}"
`,
];

describe('webhook trigger', () => {
  let server: TestServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await dataDirWithFlows(FLOWS);
    server = await startServer({ dataDir });
  });
  afterAll(async () => {
    await server?.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const hook = (flow: string, key: string, init: RequestInit = {}, query = '') =>
    fetch(`${server.url}/api/v1/executions/webhook/${NS}/${flow}/${key}${query}`, {
      method: 'POST',
      ...init,
    });

  it('answers with the flow outputs once the execution ended (wait + returnOutputs), without credentials', async () => {
    const res = await hook('sync', KEY, {
      headers: { 'content-type': 'application/json', 'x-agent': 'tests' },
      body: JSON.stringify({ name: 'Ada' }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ greeting: 'hello Ada', agent: 'tests' });
    // also under Kestra 1.x's tenant prefix
    const tenant = await fetch(`${server.url}/api/v1/main/executions/webhook/${NS}/sync/${KEY}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bob' }),
    });
    expect(tenant.status).toBe(200);
    expect(await tenant.json()).toEqual({ greeting: 'hello Bob', agent: 'none' });
  });

  it('never renders the body as a template', async () => {
    const res = await hook('sync', KEY, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: "{{ 7 * 7 }} {{ secret('X') }}" }),
    });
    expect(await res.json()).toMatchObject({ greeting: "hello {{ 7 * 7 }} {{ secret('X') }}" });
  });

  it('starts an execution with the body, headers and query as trigger variables when its conditions hold', async () => {
    const res = await hook(
      'async',
      KEY,
      { headers: { 'content-type': 'text/plain' }, body: 'plain {{ text }}' },
      '?go=yes&go=again',
    );
    expect(res.status).toBe(200);
    const created = (await res.json()) as ApiExecution & { url: string };
    expect(created.flowId).toBe('async');
    expect(created.url).toContain(created.id);
    const done = await waitForState(server, created.id, (e) => e.state.current === 'SUCCESS');
    expect(done.trigger).toMatchObject({
      id: 'hook',
      type: 'io.kestra.plugin.core.trigger.Webhook',
      variables: { body: 'plain {{ text }}', parameters: { go: ['yes', 'again'] } },
    });
    expect(done.taskRunList[0]!.outputs).toEqual({ value: 'plain {{ text }}' });
    // conditions not met: 204, nothing started
    const skipped = await hook('async', KEY, { body: 'x' }, '?go=no');
    expect(skipped.status).toBe(204);
  });

  it('answers 404 for a wrong key, a disabled trigger or an unknown flow', async () => {
    expect((await hook('sync', 'wrong-key')).status).toBe(404);
    expect((await hook('sync', `${KEY}x`)).status).toBe(404);
    expect((await hook('async', 'disabled-key')).status).toBe(404);
    expect((await hook('nope', KEY)).status).toBe(404);
  });

  it('refuses a body over the webhook size limit with 413', async () => {
    const res = await hook('async', KEY, {
      headers: { 'content-type': 'application/octet-stream' },
      body: Buffer.alloc((1 << 20) + 1, 97),
    });
    expect(res.status).toBe(413);
  });

  // Last: it stops the server to read its audit log from the store.
  it('audits every execution it started with actor webhook', async () => {
    expect(await server.stop()).toBe(0);
    const store = await openSqliteStore({ path: join(dataDir, 'baton.db') });
    try {
      const entries = await store.queryAudit({ action: 'execution.webhook' });
      // sync twice, the body test, async once
      expect(entries).toHaveLength(4);
      expect(entries.every((e) => e.actor === 'webhook' && e.namespace === NS)).toBe(true);
    } finally {
      await store.close();
    }
  });
});
