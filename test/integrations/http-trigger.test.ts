/**
 * io.kestra.plugin.core.http.Trigger through `baton server`, polling a real local HTTP server started
 * here: it calls with the flow's method, headers (a secret among them) and body; a response that does
 * not meet `responseCondition` starts nothing; the first that does starts one execution with Kestra's
 * `trigger.uri`, `trigger.code`, `trigger.headers` and `trigger.body`, whose text is data (a `{{ }}` in
 * it is never rendered); `stopAfter: [SUCCESS]` then turns the trigger off.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow, eventually, unique, waitExecutions } from '../helpers/integrations.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const NS = `http.${unique('t')}`;
const TOKEN = 'token-kept-secret-42';

interface Call {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const calls: Call[] = [];
/** Not ready for the first calls, then ready: the trigger must wait for the condition to hold. */
const NOT_READY_CALLS = 2;
const api = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (d: string) => {
    body += d;
  });
  req.on('end', () => {
    calls.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
    const ready = calls.length > NOT_READY_CALLS;
    res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'test' });
    res.end(JSON.stringify({ ready, price: 99, note: '{{ 7 * 7 }}' }));
  });
});
let server: TestServer;
let base = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  server = await startServer({ env: { BATON_SECRET_API_TOKEN: TOKEN } });
});
afterAll(async () => {
  await server?.dispose();
  api.close();
});

describe('http.Trigger', () => {
  it('starts one execution with the response once responseCondition holds, then stopAfter turns it off', async () => {
    await deployFlow(
      server,
      `id: watch
namespace: ${NS}
tasks:
  - id: note
    type: io.kestra.plugin.core.debug.Return
    format: "{{ json(trigger.body).note }} at {{ json(trigger.body).price }}"
  - id: slack
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${base}/slack
    payload: '{"text": {{ json(trigger.body).note | toJson }}}'
triggers:
  - id: poll
    type: io.kestra.plugin.core.http.Trigger
    uri: ${base}/status?flow={{ flow.id }}
    method: POST
    contentType: application/json
    body: '{"ask": "ready?"}'
    headers:
      X-Token: "{{ secret('API_TOKEN') }}"
    responseCondition: "{{ response.statusCode == 200 and json(response.body).ready }}"
    interval: PT0.2S
    stopAfter:
      - SUCCESS
`,
    );
    const [e] = await waitExecutions(server, NS, 'watch', 1);
    expect(e!.state.current).toBe('SUCCESS');
    // The calls before it did not meet the condition: they started nothing.
    expect(calls.filter((c) => c.path.startsWith('/status')).length).toBeGreaterThan(NOT_READY_CALLS);
    const first = calls[0]!;
    expect([first.method, first.path, first.body]).toEqual([
      'POST',
      '/status?flow=watch',
      '{"ask": "ready?"}',
    ]);
    expect(first.headers['x-token']).toBe(TOKEN);
    expect(first.headers['content-type']).toBe('application/json');

    const vars = e!.trigger!.variables as {
      uri: string;
      code: number;
      headers: Record<string, string[]>;
      body: string;
    };
    expect(vars.uri).toBe(`${base}/status?flow=watch`);
    expect(vars.code).toBe(200);
    expect(vars.headers['x-served-by']).toEqual(['test']);
    expect(JSON.parse(vars.body)).toEqual({ ready: true, price: 99, note: '{{ 7 * 7 }}' });
    // The body is data: the expression in it reaches the task as text, never evaluated.
    const full = (await (await server.request(`/api/v1/executions/${e!.id}`)).json()) as {
      taskRunList: { taskId: string; outputs: { value: string } }[];
    };
    expect(full.taskRunList.find((t) => t.taskId === 'note')!.outputs.value).toBe('{{ 7 * 7 }} at 99');
    // So does the Slack payload, rendered once from the flow's template.
    const slack = calls.filter((c) => c.path === '/slack');
    expect(slack.map((c) => JSON.parse(c.body))).toEqual([{ text: '{{ 7 * 7 }}' }]);

    await eventually(async () => {
      const res = await server.request(`/api/v1/triggers/search?namespace=${NS}&flowId=watch&size=10`);
      const { results } = (await res.json()) as { results: { triggerContext: { disabled?: boolean } }[] };
      return results[0]?.triggerContext.disabled === true ? true : undefined;
    }, 'stopAfter to turn the trigger off');
    expect((await waitExecutions(server, NS, 'watch', 1)).length).toBe(1);
    expect(server.output()).not.toContain(TOKEN);
  });

  it('a response that does not meet responseCondition starts nothing, and polling goes on', async () => {
    const before = calls.length;
    await deployFlow(
      server,
      `id: missing
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "{{ trigger.code }}"
triggers:
  - id: poll
    type: io.kestra.plugin.core.http.Trigger
    uri: ${base}/status?flow={{ flow.id }}
    responseCondition: "{{ response.statusCode >= 500 }}"
    interval: PT0.2S
`,
    );
    // Several polls happened (the server saw them), none of them started an execution.
    await eventually(
      async () =>
        calls.filter((c, i) => i >= before && c.path === '/status?flow=missing').length >= 3
          ? true
          : undefined,
      'three polls of the second flow',
    );
    const res = await server.request(`/api/v1/executions/search?namespace=${NS}&flowId=missing&size=10`);
    expect(((await res.json()) as { results: unknown[] }).results).toEqual([]);
  });
});
