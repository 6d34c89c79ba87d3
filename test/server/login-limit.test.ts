/**
 * Login attempts limited per user and per client address: the limiter's rules with a clock of our own,
 * then the server's answers (429 with Retry-After, accepted again after the window), with client
 * addresses told by X-Forwarded-For (BATON_TRUST_PROXY=1) and a short window (BATON_LOGIN_WINDOW_MS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoginLimiter, MAX_KEYS } from '../../src/server/auth/login-limit.ts';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

describe('LoginLimiter', () => {
  let now = 1_000_000;
  const clock = () => now;
  const make = () => new LoginLimiter({ maxFailures: 3, windowMs: 10_000 }, clock);

  it('blocks a user from any address, and an address for any user, at the limit, until failures age out', () => {
    const limiter = make();
    limiter.fail('ana', 'A');
    now += 1000;
    limiter.fail('ana', 'B');
    expect(limiter.check('ana', 'C')).toBeUndefined();
    now += 1000;
    limiter.fail('ana', 'A');
    // ana: 3 failures (from A and B); A: 2.
    expect(limiter.check('ana', 'C')).toEqual({ retryAfterSeconds: 8 });
    expect(limiter.check('bob', 'A')).toBeUndefined();
    limiter.fail('bob', 'A');
    expect(limiter.check('carl', 'A')).toEqual({ retryAfterSeconds: 8 });
    // The first failure leaves the window: ana is under the limit again.
    now += 8000;
    expect(limiter.check('ana', 'C')).toBeUndefined();
    now += 10_000;
    expect(limiter.check('carl', 'A')).toBeUndefined();
  });

  it('a success clears the failures of its own user and address pair only', () => {
    const limiter = make();
    limiter.fail('ana', 'A');
    limiter.fail('ana', 'A');
    limiter.fail('ana', 'B');
    limiter.succeed('ana', 'B');
    limiter.fail('ana', 'A');
    // B's success did not wipe what A did: ana is at the limit.
    expect(limiter.check('ana', 'C')).toBeDefined();
    limiter.succeed('ana', 'A');
    expect(limiter.check('ana', 'C')).toBeUndefined();
    expect(limiter.check(undefined, 'A')).toBeUndefined();
  });

  it('keeps a bounded number of keys, forgetting those that failed longest ago', () => {
    const limiter = make();
    for (let i = 0; i < MAX_KEYS + 500; i++) limiter.fail(`user-${i}`, `10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(MAX_KEYS);
  });
});

describe('login limit in the server', () => {
  let server: TestServer;
  const PASSWORD = 'ana-password-1';
  const me = (user: string, password: string, address: string) =>
    fetch(`${server.url}/api/v1/me`, {
      headers: { authorization: basic(user, password), 'x-forwarded-for': address },
    });

  beforeAll(async () => {
    // The window must outlast the eleven sign-ins below, each hashing a password: under a loaded CI
    // machine 8 s was not enough (the first failure left the window before the tenth came).
    server = await startServer({ env: { BATON_TRUST_PROXY: '1', BATON_LOGIN_WINDOW_MS: '20000' } });
    for (const name of ['ana', 'ben'])
      expect(
        (await server.request('/api/v1/users', { method: 'POST', json: { name, password: PASSWORD } }))
          .status,
      ).toBe(201);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers 429 with Retry-After past 10 failures, then accepts after the window; another address’s success resets nothing', {
    timeout: 60_000,
  }, async () => {
    for (let i = 0; i < 9; i++) expect((await me('ana', 'wrong', '10.1.0.1')).status).toBe(401);
    // ana signs in from elsewhere: that does not wipe the failures from 10.1.0.1.
    expect((await me('ana', PASSWORD, '10.1.0.2')).status).toBe(200);
    expect((await me('ana', 'wrong', '10.1.0.1')).status).toBe(401);
    // Ten failures for ana: refused from a third address too, with the right password.
    const blocked = await me('ana', PASSWORD, '10.1.0.3');
    expect(blocked.status).toBe(429);
    const wait = Number(blocked.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(20);
    expect(((await blocked.json()) as { code: string }).code).toBe('TOO_MANY_REQUESTS');
    // The address that guessed is refused for everyone, another user included.
    expect((await me('ben', PASSWORD, '10.1.0.1')).status).toBe(429);
    expect((await me('ben', PASSWORD, '10.1.0.4')).status).toBe(200);
    // Accepted again once the failures have left the window: polled, never a fixed sleep.
    let status = 429;
    const deadline = Date.now() + 30_000;
    while (status === 429 && Date.now() < deadline) {
      status = (await me('ana', PASSWORD, '10.1.0.3')).status;
      if (status === 429) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
    // Refused attempts were not audited as failures; the ten failures were.
    const log = await server.request('/api/v1/audit?action=login.failed&target=ana&size=50');
    const entries = (await log.json()) as { total: number; results: { source: string }[] };
    expect(entries.total).toBe(10);
    expect(new Set(entries.results.map((e) => e.source))).toEqual(new Set(['10.1.0.1']));
  });

  it('counts bad tokens per address', async () => {
    for (let i = 0; i < 10; i++)
      expect(
        (
          await fetch(`${server.url}/api/v1/me`, {
            headers: { authorization: 'Bearer baton_guess', 'x-forwarded-for': '10.2.0.1' },
          })
        ).status,
      ).toBe(401);
    expect((await me('ben', PASSWORD, '10.2.0.1')).status).toBe(429);
    expect((await me('ben', PASSWORD, '10.2.0.2')).status).toBe(200);
  });
});
