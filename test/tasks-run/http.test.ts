import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as downloadRun } from '../../src/tasks/http/download.run.ts';
import { run as requestRun } from '../../src/tasks/http/request.run.ts';
import { type Harness, openHarness, runWith } from './helpers.ts';

let h: Harness;
let server: Server;
let base: string;

beforeAll(async () => {
  h = await openHarness();
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/echo') {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-multi', ['a', 'b']);
        res.end(
          JSON.stringify({
            method: req.method,
            auth: req.headers.authorization ?? null,
            contentType: req.headers['content-type'] ?? null,
            custom: req.headers['x-custom'] ?? null,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      } else if (url.pathname === '/file.csv') {
        res.setHeader('content-disposition', 'attachment; filename="data.csv"');
        res.end('a,b\n1,2\n');
      } else if (url.pathname === '/slow') {
        res.flushHeaders(); // headers now, body never: the idle timeout must fire
      } else {
        res.statusCode = 404;
        res.end('not here');
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await h.dispose();
});

describe('http.Request', () => {
  it('GET returns code, headers and body', async () => {
    const { ctx } = h.context();
    const out = (await runWith(requestRun, ctx, { uri: `${base}/echo`, headers: { 'X-Custom': 'yes' } }))
      .outputs!;
    expect(out.code).toBe(200);
    expect((out.headers as Record<string, string[]>)['content-type']).toEqual(['application/json']);
    expect(JSON.parse(out.body as string)).toMatchObject({ method: 'GET', custom: 'yes' });
  });
  it('POST sends body with contentType and basic auth', async () => {
    const { ctx } = h.context();
    const out = await runWith(requestRun, ctx, {
      uri: `${base}/echo`,
      method: 'POST',
      body: '{"a":1}',
      options: { auth: { type: 'BASIC', username: 'u', password: 'p' } },
    });
    expect(JSON.parse(out.outputs?.body as string)).toEqual({
      method: 'POST',
      auth: `Basic ${Buffer.from('u:p').toString('base64')}`,
      contentType: 'application/json',
      custom: null,
      body: '{"a":1}',
    });
  });
  it('formData is sent url-encoded', async () => {
    const { ctx } = h.context();
    const out = await runWith(requestRun, ctx, {
      uri: `${base}/echo`,
      method: 'POST',
      formData: { user: 'John Doe' },
    });
    expect(JSON.parse(out.outputs?.body as string)).toMatchObject({ body: 'user=John+Doe' });
  });
  it('fails on 404 unless allowFailed', async () => {
    const { ctx } = h.context();
    await expect(runWith(requestRun, ctx, { uri: `${base}/missing` })).rejects.toThrow("response code '404'");
    const out = await runWith(requestRun, ctx, { uri: `${base}/missing`, allowFailed: true });
    expect(out.outputs).toMatchObject({ code: 404, body: 'not here' });
  });
  it('readIdleTimeout stops a stalled response', async () => {
    const { ctx } = h.context();
    await expect(
      runWith(requestRun, ctx, { uri: `${base}/slow`, options: { timeout: { readIdleTimeout: 'PT0.2S' } } }),
    ).rejects.toThrow('no data for PT0.2S');
  });
  it('a refused connection is a clear error', async () => {
    const { ctx } = h.context();
    await expect(runWith(requestRun, ctx, { uri: 'http://127.0.0.1:1/' })).rejects.toThrow('failed');
  });
});

describe('http.Download', () => {
  it('saves the body to internal storage under the server-given name', async () => {
    const { ctx } = h.context();
    const out = (await runWith(downloadRun, ctx, { uri: `${base}/file.csv` })).outputs!;
    expect(out).toMatchObject({ code: 200, length: 8 });
    expect(out.uri).toMatch(/\/data\.csv$/);
    expect((await h.storage.get(out.uri as string)).toString()).toBe('a,b\n1,2\n');
  });
});
