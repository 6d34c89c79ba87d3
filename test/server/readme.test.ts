/** The README's curl example works as printed, against the built server (only its address differs). */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, startServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.dispose();
});

it('creates a flow, runs it with wait=true, follows a run and reads its logs', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf('```sh\nB=http://127.0.0.1:8080/api/v1');
  expect(start).toBeGreaterThan(0);
  const script = readme
    .slice(start + 6, readme.indexOf('```', start + 6))
    .replace('http://127.0.0.1:8080', server.url);
  const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: new URL('../..', import.meta.url).pathname,
    encoding: 'utf8',
    env: { ...process.env, BATON_ADMIN_PASSWORD: ADMIN.password },
    timeout: 30_000,
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  // wait=true answers with the ended execution: its outputs.
  expect(r.stdout).toContain('"greeting": "Hello, ADA"');
  // The follow stream ends with the execution's end.
  expect(r.stdout).toMatch(/^id: ?end$/m);
  expect(r.stdout).toContain('Hello, Grace!');
});
