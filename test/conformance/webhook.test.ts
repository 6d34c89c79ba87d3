/**
 * Kestra's `webhook.yaml` through `baton server`, with the requests and outcomes of Kestra's
 * ExecutionControllerTest (`webhook`, `webhookFlowNotFound`). Skips with a notice without ../shared.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceDir } from '../helpers/engine.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const dir = conformanceDir();
if (!dir) console.log('conformance: ../shared/conformance/kestra not found, skipping the webhook flow');

interface Execution {
  id: string;
  state: { current: string };
  labels: { key: string; value: string }[];
  trigger: { variables: { body: unknown; parameters: Record<string, string[]> } };
}

describe.skipIf(!dir)('Kestra conformance: webhook.yaml through the server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    const created = await server.request('/api/v1/flows', {
      method: 'POST',
      headers: { 'content-type': 'application/x-yaml' },
      body: readFileSync(join(dir!, 'valid', 'webhook.yaml'), 'utf8'),
    });
    expect(created.status).toBe(200);
  });
  afterAll(async () => server?.dispose());

  const hook = (query = '') =>
    `${server.url}/api/v1/executions/webhook/io.kestra.tests/webhook/a-secret-key${query}`;
  const executionOf = async (res: Response): Promise<Execution> => {
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    return (await (await server.request(`/api/v1/executions/${id}`)).json()) as Execution;
  };

  it('POST with a JSON body and repeated query parameters', async () => {
    const e = await executionOf(
      await fetch(hook('?name=john&age=12&age=13'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ a: 1, b: true }),
      }),
    );
    expect((e.trigger.variables.body as { a: number }).a).toBe(1);
    expect(e.trigger.variables.parameters.name).toEqual(['john']);
    expect([...(e.trigger.variables.parameters.age ?? [])].sort()).toEqual(['12', '13']);
    expect(Object.keys(e.trigger.variables.parameters).sort()).toEqual(['age', 'name']);
    expect(e.labels).toEqual(
      expect.arrayContaining([
        { key: 'flow-label-1', value: 'flow-label-1' },
        { key: 'flow-label-2', value: 'flow-label-2' },
      ]),
    );
  });

  it('PUT with a JSON array, POST with text, GET without a body', async () => {
    const put = await executionOf(
      await fetch(hook(), {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: '[{"a":1},{"b":2}]',
      }),
    );
    expect(put.trigger.variables.body).toEqual([{ a: 1 }, { b: 2 }]);
    const text = await executionOf(await fetch(hook(), { method: 'POST', body: 'bla' }));
    expect(text.trigger.variables.body).toBe('bla');
    const get = await executionOf(await fetch(hook()));
    expect(get.trigger.variables.body ?? null).toBeNull();
  });

  it('an unknown flow: 404 "Flow not found"', async () => {
    const res = await fetch(`${server.url}/api/v1/executions/webhook/io.kestra.tests/nope/a-secret-key`, {
      method: 'POST',
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toContain('Flow not found');
  });
});
