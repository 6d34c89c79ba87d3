/**
 * The access hook on routes of each kind of access (a namespace from the path, some namespace, every
 * namespace, any signed-in user, none declared), with real users on a real store. The route-by-route test
 * (auth-matrix.test.ts) checks the server's actual routes; this one checks the rules for kinds of routes
 * the server may not have yet (a namespace in the path: a limited editor refused on another namespace).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessHook } from '../../src/server/access.ts';
import { Authenticator } from '../../src/server/auth/authenticate.ts';
import { LoginLimiter } from '../../src/server/auth/login-limit.ts';
import { hashPassword } from '../../src/server/auth/passwords.ts';
import type { ServerContext } from '../../src/server/context.ts';
import { answerFor } from '../../src/server/errors.ts';
import { openSqliteStore, type SqliteStore } from '../../src/store/sqlite/index.ts';
import type { RoleBinding } from '../../src/store/types.ts';

const PASSWORD = 'hook-password-1';
const auth = (user: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${PASSWORD}`).toString('base64')}`,
});

describe('access hook', () => {
  let store: SqliteStore;
  let app: FastifyInstance;

  beforeAll(async () => {
    store = await openSqliteStore({ path: ':memory:' });
    const hash = await hashPassword(PASSWORD);
    const users: Record<string, RoleBinding[]> = {
      limited: [{ role: 'editor', namespace: 'company.*' }],
      viewer: [{ role: 'viewer', namespace: '*' }],
      team: [{ role: 'runner', namespace: 'company.team' }],
      admin: [{ role: 'admin', namespace: '*' }],
      nsadmin: [{ role: 'admin', namespace: 'company.*' }],
    };
    for (const [name, bindings] of Object.entries(users))
      await store.putUser({
        name,
        passwordHash: hash,
        bindings,
        disabled: false,
        createdAt: 'x',
        updatedAt: 'x',
      });
    const ctx = { audit: async () => undefined } as unknown as ServerContext;
    app = Fastify();
    app.addHook(
      'onRequest',
      accessHook(new Authenticator(store), new LoginLimiter(), () => ctx),
    );
    app.setErrorHandler((error, _req, reply) => {
      const answer = answerFor(error);
      void reply.status(answer.statusCode).send(answer.body);
    });
    const ok = async () => ({ ok: true });
    app.get('/flows/:namespace', { config: { access: { role: 'editor', namespace: 'param' } } }, ok);
    app.get('/executions', { config: { access: { role: 'runner' } } }, ok);
    app.get('/users', { config: { access: { role: 'admin', namespace: 'global' } } }, ok);
    app.get('/me', { config: { access: 'authenticated' } }, ok);
    app.get('/undeclared', ok);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  const status = async (url: string, user?: string) =>
    (await app.inject({ url, headers: user ? auth(user) : {} })).statusCode;

  it('a namespace in the path: the role is needed on that namespace (patterns include sub-namespaces)', async () => {
    expect(await status('/flows/company.team', 'limited')).toBe(200);
    expect(await status('/flows/company', 'limited')).toBe(200);
    expect(await status('/flows/company.team.sub', 'limited')).toBe(200);
    expect(await status('/flows/other.team', 'limited')).toBe(403);
    expect(await status('/flows/companyx', 'limited')).toBe(403);
    expect(await status('/flows/company.team', 'viewer')).toBe(403);
    expect(await status('/flows/company.team', 'team')).toBe(403);
    expect(await status('/flows/other', 'admin')).toBe(200);
    expect(await status('/flows/other')).toBe(401);
  });

  it('some namespace, every namespace, any signed-in user, and a route declaring nothing', async () => {
    expect(await status('/executions', 'team')).toBe(200);
    expect(await status('/executions', 'viewer')).toBe(403);
    expect(await status('/users', 'nsadmin')).toBe(403);
    expect(await status('/users', 'admin')).toBe(200);
    expect(await status('/me', 'viewer')).toBe(200);
    expect(await status('/me')).toBe(401);
    expect(await status('/undeclared', 'admin')).toBe(500);
  });
});
