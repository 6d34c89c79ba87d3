/** http.SseRequest against a real local SSE server. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSse, run as sseRun } from '../../src/tasks/http/sse-request.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
let server: Server;
let base = '';
beforeAll(async () => {
  h = await openHarness();
  server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'x-accept': req.headers.accept ?? '' });
    // Sent in pieces, as a live stream is; the response ends after the third event.
    res.write(': hello\nid: 1\nevent: tick\ndata: {"message":"a","n":1}\n\n');
    res.write('data: {"message":"b",\ndata: "n":2}\nretry: 1500\n\n');
    res.end('data: plain text\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await h.dispose();
});

describe('http.SseRequest', () => {
  it('parses events: multi-line data, JSON data, id, name, comment, retry', () => {
    expect(parseSse('id: 7\r\nevent: x\r\ndata: 1\r\ndata: 2\r\n\r\ndata\n\n:only a comment\n\n')).toEqual([
      { id: '7', name: 'x', data: '1\n2' },
      { data: '' },
    ]);
  });

  it('collects every event of the stream', async () => {
    const { ctx } = h.context();
    const out = await runWith(sseRun, ctx, { uri: `${base}/events` });
    expect(out.outputs).toEqual({
      uri: `${base}/events`,
      size: 3,
      events: [
        { comment: 'hello', id: '1', name: 'tick', data: { message: 'a', n: 1 } },
        { data: { message: 'b', n: 2 }, retry: 'PT1.5S' },
        { data: 'plain text' },
      ],
    });
  });

  it('concatenates what the jq expression extracts; fails or skips events it cannot read', async () => {
    const { ctx } = h.context();
    await expect(
      runWith(sseRun, ctx, { uri: `${base}/events`, concatJqExpression: '$.data.message' }),
    ).rejects.toThrow(/failedOnMissingJq/);
    const out = await runWith(sseRun, ctx, {
      uri: `${base}/events`,
      concatJqExpression: '$.data.message',
      failedOnMissingJq: false,
    });
    expect(out.outputs).toEqual({ uri: `${base}/events`, size: 3, result: 'ab' });
  });
});
