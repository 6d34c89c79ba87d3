/** `baton server` as a process: start, health, auth on by default, admin bootstrap, stop on SIGTERM. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

describe('baton server', () => {
  const servers: TestServer[] = [];
  afterAll(async () => {
    for (const s of servers) await s.dispose();
  });

  it('answers health and readiness without auth, with security headers, and stops with 0 on SIGTERM', async () => {
    const server = await startServer();
    servers.push(server);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'UP' });
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-frame-options')).toBe('DENY');
    expect(health.headers.get('access-control-allow-origin')).toBeNull();
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    // Metrics name namespaces and flows: not public.
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const metrics = await server.request('/metrics');
    expect(metrics.status).toBe(200);
    const text = await metrics.text();
    // Every series names its process: the instance id `baton cluster` lists for it.
    const [self] = (
      (await (await server.request('/api/v1/cluster')).json()) as { instances: { id: string }[] }
    ).instances;
    const id = `instance_id="${self!.id}"`;
    expect(text).toContain(`baton_queue_depth{queue="executor",${id}} 0`);
    expect(text).toContain(`baton_worker_busy_slots{${id}} 0`);
    expect(text).toContain(`baton_queue_lag_seconds{${id}} `);
    expect(await server.stop()).toBe(0);
    expect(server.output()).toContain('baton server stopped');
  });

  it('a process without the api role, given a port, serves its health and metrics only, behind auth', async () => {
    const worker = await startServer({ args: ['--roles', 'worker', '--slots', '3'] });
    servers.push(worker);
    expect(worker.output()).toContain('health and metrics only');
    expect((await fetch(`${worker.url}/health`)).status).toBe(200);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(401);
    const text = await (await worker.request('/metrics')).text();
    expect(text).toMatch(/baton_worker_busy_slots\{instance_id="[^"]+:\d+:[^"]+"\} 0/);
    // No API, no web UI, no OpenAPI document on such a process.
    expect((await worker.request('/api/v1/flows/search')).status).toBe(404);
    expect((await worker.request('/api/v1/openapi.json')).status).toBe(404);
    expect((await worker.request('/')).status).toBe(404);
    expect(await worker.stop()).toBe(0);
  });

  it('generates the first admin password when none is configured, prints it once and stores only its hash', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'baton-server-admin-'));
    try {
      const env = { BATON_ADMIN_USER: undefined, BATON_ADMIN_PASSWORD: undefined };
      const first = await startServer({ dataDir, env });
      const m = /created user 'admin' with password (\S+)/.exec(first.output());
      expect(m).not.toBeNull();
      const password = m?.[1] ?? '';
      const unauth = await fetch(`${first.url}/api/v1/openapi.json`);
      expect(unauth.status).toBe(200);
      await first.stop();
      const second = await startServer({ dataDir, env });
      expect(second.output()).not.toContain('created user');
      const health = await fetch(`${second.url}/health`, {
        headers: { authorization: basic('admin', password) },
      });
      expect(health.status).toBe(200);
      await second.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
