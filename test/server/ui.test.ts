/**
 * The web UI as the server serves it: the app's page at `/` and for its own paths, hashed assets cached
 * for good, the UI's CSP on UI answers only, API paths never answered with the page, and a how-to-build
 * answer when ui/dist is missing. Also the flow JSON Schema route the editor uses, and the initial
 * bundle's size (the budget: under 500 KB gzipped).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server.ts';
import { ensureUiBuilt } from '../ui/browser.ts';

const dist = new URL('../../ui/dist/', import.meta.url).pathname;

describe('the web UI served by baton server', () => {
  let server: TestServer;
  let assets: string[];

  beforeAll(async () => {
    ensureUiBuilt();
    server = await startServer();
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    assets = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  }, 180_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('answers the app page at / and at its own paths, without credentials, never cached', async () => {
    for (const path of ['/', '/ui/flows', '/ui/flows/edit/company.team/hello', '/ui/login?x=1']) {
      const r = await fetch(`${server.url}${path}`);
      expect(r.status, path).toBe(200);
      expect(r.headers.get('content-type')).toMatch(/^text\/html/);
      expect(r.headers.get('cache-control')).toBe('no-cache');
      expect(await r.text()).toContain('<div id="root"></div>');
    }
  });

  it('serves hashed assets as immutable, with the UI CSP (styles inline for Monaco) and the usual headers', async () => {
    expect(assets.length).toBeGreaterThan(0);
    const r = await fetch(`${server.url}${assets[0]}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const csp = r.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).not.toContain('script-src');
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('x-frame-options')).toBe('DENY');
  });

  it('keeps the API strict: its CSP, JSON 404s for unknown API paths, a 401 challenge except to the app', async () => {
    const api = await fetch(`${server.url}/api/v1/no-such-thing`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(api.headers.get('content-security-policy')).toBe("default-src 'self'; frame-ancestors 'none'");
    const plain = await fetch(`${server.url}/api/v1/me`);
    expect(plain.status).toBe(401);
    expect(plain.headers.get('www-authenticate')).toMatch(/^Basic/);
    const fromApp = await fetch(`${server.url}/api/v1/me`, {
      headers: { 'x-requested-with': 'XMLHttpRequest' },
    });
    expect(fromApp.status).toBe(401);
    expect(fromApp.headers.get('www-authenticate')).toBeNull();
  });

  it('answers 404 for a missing asset and for paths leaving the folder, not the page', async () => {
    for (const path of [
      '/assets/index-missing.js',
      '/favicon.png',
      '/..%2f..%2fpackage.json',
      '/%2e%2e/package.json',
    ]) {
      const r = await fetch(`${server.url}${path}`);
      expect(r.status, path).toBe(404);
      expect(await r.text()).not.toContain('"name": "baton"');
    }
  });

  it('serves the flow JSON Schema to signed-in callers at Kestra path, for the editor', async () => {
    expect((await fetch(`${server.url}/api/v1/plugins/schemas/flow`)).status).toBe(401);
    const r = await server.request('/api/v1/plugins/schemas/flow');
    expect(r.status).toBe(200);
    const schema = (await r.json()) as { $schema: string; definitions: Record<string, unknown> };
    expect(schema.$schema).toContain('draft-07');
    expect(Object.keys(schema.definitions)).toEqual(expect.arrayContaining(['task', 'trigger', 'input']));
    expect((await server.request('/api/v1/main/plugins/schemas/flow')).status).toBe(200);
    const unknown = await server.request('/api/v1/plugins/schemas/dashboard');
    expect(unknown.status).toBe(400);
  });

  it('keeps the initial bundle (the page, its script, preloads and styles) under 500 KB gzipped', () => {
    const bytes = [join(dist, 'index.html'), ...assets.map((a) => join(dist, a))].reduce(
      (sum, file) => sum + gzipSync(readFileSync(file), { level: 9 }).length,
      0,
    );
    console.log(`initial bundle: ${(bytes / 1024).toFixed(1)} KB gzipped (${assets.length + 1} files)`);
    expect(bytes).toBeLessThan(500 * 1024);
  });
});

describe('without a built UI', () => {
  it('says at / how to build it, and the API still answers', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'baton-no-ui-'));
    const server = await startServer({ env: { BATON_UI_DIR: empty } });
    try {
      const r = await fetch(`${server.url}/`);
      expect(r.status).toBe(404);
      expect(await r.text()).toContain('npm run build:ui');
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
    } finally {
      await server.dispose();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
