/**
 * `baton users`, `baton tokens` and `baton audit` on a data folder, as users run them (bin/baton.js), and
 * what a server on the same folder makes of their changes (taken at the next request).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

const bin = new URL('../../bin/baton.js', import.meta.url).pathname;

describe('baton users, tokens and audit', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'baton-access-cli-')), 'data');
  let server: TestServer | undefined;
  afterAll(async () => {
    await server?.dispose();
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });
  const baton = (args: string[], input?: string) =>
    spawnSync(process.execPath, [bin, ...args, '--data', dataDir], {
      encoding: 'utf8',
      input,
      timeout: 30_000,
    });
  const me = (authorization: string) => fetch(`${server!.url}/api/v1/me`, { headers: { authorization } });

  it('adds users (with a password from stdin, or token-only), lists them without hashes, refuses bad roles', () => {
    const ops = baton(
      ['users', 'add', 'ops', '--role', 'editor:company.*', '--role', 'viewer', '--password-stdin'],
      'ops-password-1\n',
    );
    expect(ops.status, ops.stderr).toBe(0);
    expect(ops.stdout).toContain('user ops added: editor:company.*, viewer:*');
    // The data folder was created private: it holds the password hashes.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const robot = baton(['users', 'add', 'robot', '--role', 'runner']);
    expect(robot.status, robot.stderr).toBe(0);
    expect(robot.stdout).toContain('no password');
    const list = baton(['users', 'list', '--json']);
    expect(list.status).toBe(0);
    expect(list.stdout).not.toMatch(/scrypt|passwordHash/);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ name: 'ops', hasPassword: true, disabled: false }),
      expect.objectContaining({
        name: 'robot',
        hasPassword: false,
        bindings: [{ role: 'runner', namespace: '*' }],
      }),
    ]);
    const bad = baton(['users', 'add', 'eve', '--role', 'owner']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown role 'owner'");
    const again = baton(['users', 'add', 'ops']);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(baton(['users', 'frob']).status).toBe(2);
  });

  it('creates a token whose secret is printed once; a server on the folder accepts it and records its use', async () => {
    const created = baton(['tokens', 'create', '--user', 'robot', '--name', 'ci', '--expires', '30d']);
    expect(created.status, created.stderr).toBe(0);
    const secret = created.stdout.trim();
    expect(secret).toMatch(/^baton_\S+$/);
    expect(created.stderr).toContain('shown only this once');
    expect(baton(['tokens', 'create', '--user', 'robot']).status).toBe(2);
    expect(
      baton(['tokens', 'create', '--user', 'robot', '--name', 'x', '--expires', 'soon']).stderr,
    ).toContain("--expires 'soon'");

    server = await startServer({ dataDir });
    const asRobot = await me(`Bearer ${secret}`);
    expect(asRobot.status).toBe(200);
    expect(await asRobot.json()).toMatchObject({ name: 'robot', authenticatedWith: 'token' });
    expect((await me(basic('ops', 'ops-password-1'))).status).toBe(200);

    const list = baton(['tokens', 'list', '--json']);
    expect(list.stdout).not.toContain(secret);
    expect(list.stdout).not.toMatch(/"hash"/);
    const [token] = JSON.parse(list.stdout) as {
      id: string;
      user: string;
      expiresAt: string;
      lastUsedAt?: string;
    }[];
    expect(token).toMatchObject({ user: 'robot', expired: false });
    const days = (Date.parse(token!.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect(token!.lastUsedAt).toBeDefined();
    expect(baton(['tokens', 'list']).stdout).toContain(`${token!.id}  robot`);

    // Changes made here are taken by the running server at its next request.
    expect(baton(['users', 'set', 'ops', '--disable']).status).toBe(0);
    expect((await me(basic('ops', 'ops-password-1'))).status).toBe(401);
    expect(baton(['users', 'set', 'ops', '--enable', '--password-stdin'], 'ops-password-2').status).toBe(0);
    expect((await me(basic('ops', 'ops-password-1'))).status).toBe(401);
    expect((await me(basic('ops', 'ops-password-2'))).status).toBe(200);
    const revoke = baton(['tokens', 'revoke', token!.id]);
    expect(revoke.status, revoke.stderr).toBe(0);
    expect((await me(`Bearer ${secret}`)).status).toBe(401);
    expect(baton(['tokens', 'revoke', token!.id]).status).toBe(2);
  });

  it('prints the audit log with filters: changes made here and the server’s failed logins', () => {
    const actor = `cli:${userInfo().username}`;
    const mine = baton(['audit', '--actor', actor, '--json']);
    expect(mine.status, mine.stderr).toBe(0);
    const entries = JSON.parse(mine.stdout) as { action: string; target: string; source: string }[];
    expect(entries.map((e) => `${e.action} ${e.target}`)).toEqual([
      expect.stringMatching(/^token\.revoke /),
      'user.update ops',
      'user.update ops',
      expect.stringMatching(/^token\.create /),
      'user.create robot',
      'user.create ops',
    ]);
    expect(entries.every((e) => e.source === 'cli')).toBe(true);
    const failed = baton(['audit', '--action', 'login.failed', '--since', '1h']);
    expect(failed.stdout.trim().split('\n')).toHaveLength(3);
    expect(failed.stdout).toContain('"reason":"disabled"');
    expect(baton(['audit', '--action', 'user', '--limit', '1']).stdout.trim().split('\n')).toHaveLength(1);
    expect(baton(['audit', '--since', 'yesterday']).status).toBe(2);
  });

  it('deletes a user with their tokens', () => {
    expect(baton(['users', 'delete', 'robot']).status).toBe(0);
    const gone = baton(['users', 'delete', 'robot']);
    expect(gone.status).toBe(2);
    expect(gone.stderr).toContain("user 'robot' not found");
    expect(JSON.parse(baton(['tokens', 'list', '--json']).stdout)).toEqual([]);
  });
});
