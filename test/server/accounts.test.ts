/**
 * Users, API tokens and the audit log over HTTP: Bearer tokens (last use recorded, expiry, revocation),
 * disabled users, a user's own tokens, the last admin kept, audit entries and their filters, CORS, and
 * no password hash nor token hash in any answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, basic, startServer, type TestServer } from '../helpers/server.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
/** An answer's JSON object (error answers: `message`, `code`). */
const answer = async (r: Response) => (await r.json()) as Record<string, string>;

describe('users, tokens and audit', () => {
  let server: TestServer;
  const ORIGIN = 'https://ui.example.com';

  beforeAll(async () => {
    server = await startServer({ args: ['--cors-origin', ORIGIN] });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  const createUser = async (name: string, body: Record<string, unknown> = {}) => {
    const r = await server.request('/api/v1/users', {
      method: 'POST',
      json: { name, password: `${name}-password`, ...body },
    });
    expect(r.status, await r.clone().text()).toBe(201);
    return r.json();
  };
  const createToken = async (user: string, body: Record<string, unknown> = { name: 'ci' }) => {
    const r = await server.request(`/api/v1/users/${user}/api-tokens`, { method: 'POST', json: body });
    expect(r.status, await r.clone().text()).toBe(201);
    return (await r.json()) as { id: string; token: string; expiresAt?: string };
  };
  const audit = async (query: string) => {
    const r = await server.request(`/api/v1/audit?${query}`);
    expect(r.status).toBe(200);
    return (await r.json()) as {
      results: {
        action: string;
        actor: string;
        target: string;
        source?: string;
        details?: Record<string, unknown>;
      }[];
      total: number;
    };
  };

  it('creates, reads, changes and deletes a user, audited, never answering the password hash', async () => {
    const created = await createUser('ana', { bindings: [{ role: 'editor', namespace: 'company.*' }] });
    expect(created).toMatchObject({ name: 'ana', disabled: false, hasPassword: true });
    const texts: string[] = [JSON.stringify(created)];
    const get = await server.request('/api/v1/users/ana');
    texts.push(await get.text());
    const search = await server.request('/api/v1/users/search?q=AN&size=10');
    const found = (await search.clone().json()) as { results: { name: string }[] };
    texts.push(await search.text());
    expect(found.results.map((u) => u.name)).toEqual(['ana']);
    const put = await server.request('/api/v1/users/ana', {
      method: 'PUT',
      json: { password: 'ana-new-password', bindings: [{ role: 'viewer', namespace: '*' }] },
    });
    texts.push(await put.clone().text());
    expect(await put.json()).toMatchObject({ bindings: [{ role: 'viewer', namespace: '*' }] });
    for (const text of texts) expect(text).not.toMatch(/scrypt|passwordHash|ana-new-password|ana-password/);
    // The old password is refused at once (no cached verification survives the change), the new one works.
    expect(
      (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: basic('ana', 'ana-password') } }))
        .status,
    ).toBe(401);
    const me = await fetch(`${server.url}/api/v1/me`, {
      headers: { authorization: basic('ana', 'ana-new-password') },
    });
    expect(await me.json()).toEqual({
      name: 'ana',
      bindings: [{ role: 'viewer', namespace: '*' }],
      authenticatedWith: 'password',
    });
    expect((await server.request('/api/v1/users/ana', { method: 'DELETE' })).status).toBe(204);
    expect((await server.request('/api/v1/users/ana')).status).toBe(404);

    const log = await audit('target=ana&action=user');
    expect(log.results.map((e) => e.action)).toEqual(['user.delete', 'user.update', 'user.create']);
    expect(log.results[1]).toMatchObject({
      actor: ADMIN.user,
      source: '127.0.0.1',
      details: { password: true },
    });
    expect(JSON.stringify(log)).not.toMatch(/scrypt|ana-new-password/);
  });

  it('refuses bad input with the field named, and a duplicate user with 409', async () => {
    const bad = await server.request('/api/v1/users', {
      method: 'POST',
      json: { name: 'bea', bindings: [{ role: 'owner', namespace: '*' }] },
    });
    expect(bad.status).toBe(400);
    expect((await answer(bad)).message).toContain('bindings/0/role');
    const short = await server.request('/api/v1/users', {
      method: 'POST',
      json: { name: 'bea', password: 'short' },
    });
    expect(short.status).toBe(422);
    expect((await answer(short)).message).toMatch(/^password: at least 8/);
    const colon = await server.request('/api/v1/users', { method: 'POST', json: { name: 'a:b' } });
    expect(colon.status).toBe(422);
    expect((await answer(colon)).message).toMatch(/^name:/);
    await createUser('bea');
    expect((await server.request('/api/v1/users', { method: 'POST', json: { name: 'bea' } })).status).toBe(
      409,
    );
  });

  it('keeps an enabled admin of *: the last one cannot be disabled, demoted or deleted', async () => {
    const disable = await server.request(`/api/v1/users/${ADMIN.user}`, {
      method: 'PUT',
      json: { disabled: true },
    });
    expect(disable.status).toBe(409);
    expect((await answer(disable)).message).toContain('last enabled admin');
    expect((await server.request(`/api/v1/users/${ADMIN.user}`, { method: 'DELETE' })).status).toBe(409);
    const demote = await server.request(`/api/v1/users/${ADMIN.user}`, {
      method: 'PUT',
      json: { bindings: [{ role: 'admin', namespace: 'company.*' }] },
    });
    expect(demote.status).toBe(409);
  });

  it('a Bearer token acts as its user, records its last use, and is refused once revoked', async () => {
    await createUser('carl', { bindings: [{ role: 'runner', namespace: '*' }] });
    const created = await createToken('carl', { name: 'ci', description: 'from CI' });
    expect(created.token).toMatch(/^baton_[A-Za-z0-9_-]{40,}$/);
    const before = (await (await server.request('/api/v1/users/carl/api-tokens')).json()) as {
      lastUsedAt?: string;
    }[];
    expect(before[0]?.lastUsedAt).toBeUndefined();
    const me = await fetch(`${server.url}/api/v1/me`, { headers: bearer(created.token) });
    expect(await me.json()).toMatchObject({ name: 'carl', authenticatedWith: 'token', tokenId: created.id });
    const list = await server.request('/api/v1/users/carl/api-tokens');
    const text = await list.clone().text();
    expect(text).not.toContain(created.token);
    expect(text).not.toMatch(/"hash"/);
    const [listed] = (await list.json()) as { id: string; lastUsedAt?: string; expired: boolean }[];
    expect(listed).toMatchObject({ id: created.id, expired: false });
    expect(Date.parse(listed?.lastUsedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    // Another user's path does not reach it; the owner's does.
    expect(
      (await server.request(`/api/v1/users/bea/api-tokens/${created.id}`, { method: 'DELETE' })).status,
    ).toBe(404);
    expect(
      (await server.request(`/api/v1/users/carl/api-tokens/${created.id}`, { method: 'DELETE' })).status,
    ).toBe(204);
    expect((await fetch(`${server.url}/api/v1/me`, { headers: bearer(created.token) })).status).toBe(401);
    const log = await audit(`target=${created.id}`);
    expect(log.results.map((e) => e.action)).toEqual(['token.revoke', 'token.create']);
    // The refused call is audited (an unknown token names no user).
    const [failed] = (await audit('action=login.failed&size=1')).results;
    expect(failed).toMatchObject({ actor: 'anonymous', target: '', details: { reason: 'bad-token' } });
  });

  it('refuses an expired token, and audits it', async () => {
    await createUser('dora', { bindings: [{ role: 'viewer', namespace: '*' }] });
    const { token, expiresAt } = await createToken('dora', { name: 'short', maxAge: 'PT1S' });
    expect(Date.parse(expiresAt ?? '')).toBeLessThanOrEqual(Date.now() + 1000);
    // Accepted until it expires, then refused: polled, the expiry being one second away.
    let status = 200;
    for (let i = 0; i < 100 && status === 200; i++) {
      status = (await fetch(`${server.url}/api/v1/me`, { headers: bearer(token) })).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(401);
    const log = await audit('action=login.failed&target=dora');
    expect(log.results[0]?.details).toEqual({ reason: 'expired' });
    const bad = await server.request('/api/v1/users/dora/api-tokens', {
      method: 'POST',
      json: { name: 'x', maxAge: 'soon' },
    });
    expect(bad.status).toBe(400);
    expect((await answer(bad)).message).toContain('maxAge');
  });

  it('refuses a disabled user, by password and by token, until enabled again', async () => {
    await createUser('emil', { bindings: [{ role: 'viewer', namespace: '*' }] });
    const { token } = await createToken('emil');
    const byPassword = () =>
      fetch(`${server.url}/api/v1/me`, { headers: { authorization: basic('emil', 'emil-password') } });
    expect((await byPassword()).status).toBe(200);
    expect(
      (await server.request('/api/v1/users/emil', { method: 'PUT', json: { disabled: true } })).status,
    ).toBe(200);
    expect((await byPassword()).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/me`, { headers: bearer(token) })).status).toBe(401);
    const log = await audit('action=login.failed&target=emil');
    expect(log.results.map((e) => e.details?.reason)).toEqual(['disabled', 'disabled']);
    expect(
      (await server.request('/api/v1/users/emil', { method: 'PUT', json: { disabled: false } })).status,
    ).toBe(200);
    expect((await byPassword()).status).toBe(200);
  });

  it('any signed-in user manages their own tokens, and only theirs; a token made by a token does not outlive it', async () => {
    await createUser('fred');
    const fred = { authorization: basic('fred', 'fred-password') };
    const mine = await fetch(`${server.url}/api/v1/me/api-tokens`, {
      method: 'POST',
      headers: { ...fred, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'laptop', maxAge: 'PT1H' }),
    });
    expect(mine.status).toBe(201);
    const created = (await mine.json()) as { id: string; token: string; expiresAt: string };
    const listed = (await (await fetch(`${server.url}/api/v1/me/api-tokens`, { headers: fred })).json()) as {
      id: string;
    }[];
    expect(listed.map((t) => t.id)).toEqual([created.id]);
    // With its token, fred asks for a token that never expires: it gets one expiring with the first.
    const child = await fetch(`${server.url}/api/v1/me/api-tokens`, {
      method: 'POST',
      headers: { ...bearer(created.token), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'forever' }),
    });
    expect(child.status).toBe(201);
    expect((await answer(child)).expiresAt).toBe(created.expiresAt);
    // Someone else's token is not found from fred's /me.
    const other = await createToken('bea');
    expect(
      (await fetch(`${server.url}/api/v1/me/api-tokens/${other.id}`, { method: 'DELETE', headers: fred }))
        .status,
    ).toBe(404);
    expect(
      (await fetch(`${server.url}/api/v1/me/api-tokens/${created.id}`, { method: 'DELETE', headers: fred }))
        .status,
    ).toBe(204);
    expect((await fetch(`${server.url}/api/v1/me`, { headers: bearer(created.token) })).status).toBe(401);
    // Fred has no role: everything else is refused.
    expect((await fetch(`${server.url}/api/v1/users/search`, { headers: fred })).status).toBe(403);
  });

  it('pages and filters the audit log by actor, action, target and time', async () => {
    const start = new Date().toISOString();
    for (const name of ['g1', 'g2', 'g3']) await createUser(name);
    const page1 = await audit(`action=user.create&from=${start}&size=2&page=1`);
    const page2 = await audit(`action=user.create&from=${start}&size=2&page=2`);
    expect(page1.total).toBe(3);
    expect(page1.results.map((e) => e.target)).toEqual(['g3', 'g2']);
    expect(page2.results.map((e) => e.target)).toEqual(['g1']);
    expect((await audit(`actor=nobody&from=${start}`)).total).toBe(0);
    expect((await audit(`to=${start}&target=g1`)).total).toBe(0);
    expect((await server.request('/api/v1/audit?from=yesterday')).status).toBe(400);
    // No route changes or removes an entry.
    for (const method of ['PUT', 'PATCH', 'DELETE'])
      expect((await server.request('/api/v1/audit', { method })).status).toBe(404);
  });

  it('answers CORS preflights for the configured origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/v1/users/search`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      });
    const ok = await preflight(ORIGIN);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(ok.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const other = await preflight('https://evil.example.com');
    expect(other.status).toBe(404);
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-methods')).toBeNull();
    const real = await server.request('/api/v1/me', { headers: { origin: ORIGIN } });
    expect(real.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const refused = await fetch(`${server.url}/api/v1/me`, { headers: { origin: ORIGIN } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    const foreign = await server.request('/api/v1/me', { headers: { origin: 'https://evil.example.com' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
