/**
 * Namespaces, KV and secret names end to end against the built server: the namespaces list derived
 * from the flows, a KV round trip (JSON, text, numbers) with a TTL that runs out, and secret names
 * listed without their values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';

const SECRET_VALUE = 'very-secret-database-password';
const ENCODED_VALUE = 'another-secret-api-key';

describe('namespaces, KV and secrets API', () => {
  let server: TestServer;
  const kv = (ns: string, key: string, init: RequestInit = {}) =>
    server.request(`/api/v1/namespaces/${ns}/kv/${key}`, init);

  beforeAll(async () => {
    server = await startServer({
      env: {
        BATON_SECRET_DB_PASSWORD: SECRET_VALUE,
        SECRET_API_KEY: Buffer.from(ENCODED_VALUE).toString('base64'),
      },
    });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it('lists the namespaces of the flows and their parents, with paging and q', async () => {
    for (const ns of ['acme.data.etl', 'acme.web', 'other'])
      await server.request('/api/v1/flows', {
        method: 'POST',
        headers: { 'content-type': 'application/x-yaml' },
        body: `id: f\nnamespace: ${ns}\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n`,
      });
    const all = (await (await server.request('/api/v1/namespaces/search?size=100')).json()) as {
      results: { id: string }[];
      total: number;
    };
    expect(all.results.map((n) => n.id)).toEqual(['acme', 'acme.data', 'acme.data.etl', 'acme.web', 'other']);
    expect(all.total).toBe(5);
    const paged = (await (await server.request('/api/v1/namespaces/search?q=acme&size=2&page=2')).json()) as {
      results: { id: string }[];
      total: number;
    };
    expect(paged).toEqual({ results: [{ id: 'acme.data.etl' }, { id: 'acme.web' }], total: 4 });
  });

  it('sets, reads, lists and deletes KV entries (JSON or text bodies, Kestra’s typed value)', async () => {
    const put = (key: string, body: string, type: string, headers: Record<string, string> = {}) =>
      kv('kvns', key, { method: 'PUT', body, headers: { 'content-type': type, ...headers } });
    expect((await put('obj', '{"a":[1,2]}', 'application/json')).status).toBe(204);
    expect((await put('num', '42', 'application/json')).status).toBe(204);
    expect((await put('word', 'hello world', 'text/plain')).status).toBe(204);
    expect((await put('word2', 'plain', 'application/json')).status).toBe(204);
    expect(await (await kv('kvns', 'obj')).json()).toEqual({ type: 'JSON', value: { a: [1, 2] } });
    expect(await (await kv('kvns', 'num')).json()).toEqual({ type: 'NUMBER', value: 42 });
    expect(await (await kv('kvns', 'word')).json()).toEqual({ type: 'STRING', value: 'hello world' });
    expect(await (await kv('kvns', 'word2')).json()).toEqual({ type: 'STRING', value: 'plain' });
    const list = (await (await server.request('/api/v1/namespaces/kvns/kv')).json()) as Record<
      string,
      unknown
    >[];
    expect(list.map((e) => e.key)).toEqual(['num', 'obj', 'word', 'word2']);
    expect(list[0]).toEqual(
      expect.objectContaining({ creationDate: expect.any(String), updateDate: expect.any(String) }),
    );
    expect(list[0]).not.toHaveProperty('value');

    const missing = await kv('kvns', 'nope');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain(
      "No value found for key 'nope'",
    );
    expect(await (await kv('kvns', 'num', { method: 'DELETE' })).json()).toBe(true);
    expect(await (await kv('kvns', 'num', { method: 'DELETE' })).json()).toBe(false);
    expect((await kv('kvns', 'num')).status).toBe(404);

    expect((await put('bad key', '1', 'application/json')).status).toBe(400);
    const badTtl = await put('t', '1', 'application/json', { ttl: 'soon' });
    expect(badTtl.status).toBe(422);
    expect(((await badTtl.json()) as { message: string }).message).toContain('ttl');
  });

  it('expires an entry set with a ttl header', async () => {
    const r = await kv('kvns', 'short', {
      method: 'PUT',
      body: '"brief"',
      headers: { 'content-type': 'application/json', ttl: 'PT1S' },
    });
    expect(r.status).toBe(204);
    const listed = (await (await server.request('/api/v1/namespaces/kvns/kv')).json()) as Record<
      string,
      unknown
    >[];
    const entry = listed.find((e) => e.key === 'short');
    expect(Date.parse(String(entry?.expirationDate)) - Date.parse(String(entry?.updateDate))).toBe(1000);
    // Polls until the entry is gone (its expiry is one second away).
    const deadline = Date.now() + 10_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await kv('kvns', 'short')).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(404);
    const after = (await (await server.request('/api/v1/namespaces/kvns/kv')).json()) as { key: string }[];
    expect(after.map((e) => e.key)).not.toContain('short');
  });

  it('lists secret names, never their values', async () => {
    const r = await server.request('/api/v1/namespaces/acme/secrets');
    expect(r.status).toBe(200);
    const text = await r.text();
    const body = JSON.parse(text) as { readOnly: boolean; results: { key: string }[]; total: number };
    expect(body.readOnly).toBe(true);
    expect(body.results.map((s) => s.key)).toEqual(expect.arrayContaining(['API_KEY', 'DB_PASSWORD']));
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain(ENCODED_VALUE);
    expect(text).not.toContain(Buffer.from(ENCODED_VALUE).toString('base64'));
    const q = (await (await server.request('/api/v1/namespaces/acme/secrets?q=db')).json()) as {
      results: { key: string }[];
    };
    expect(q.results.map((s) => s.key)).toEqual(['DB_PASSWORD']);
    const inherited = await (await server.request('/api/v1/namespaces/acme/inherited-secrets')).json();
    expect(inherited).toEqual({ acme: expect.arrayContaining(['API_KEY', 'DB_PASSWORD']) });
  });
});
