/**
 * Route by route: every route of the OpenAPI document is called without credentials and as each role,
 * and must answer exactly as the table below says. The OpenAPI document must list every route the server
 * has (compared with the server's own route list), and every route must have a row here: a new route
 * fails this test until its row is added.
 *
 * "Allowed" means the answer is neither 401 nor 403 (nor a 5xx: a route declaring no access answers 500);
 * a 400, 404 or 422 for a made-up id or an empty body is fine. Paths are called with `{namespace}` =
 * `company.team` (inside the limited editor's `company.*`) and every other parameter made up; routes with
 * a `{namespace}` are called again on `other.team`, where the limited editor must get 403.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, startServer, type TestServer } from '../helpers/server.ts';

type Role = 'viewer' | 'runner' | 'editor' | 'admin';
/**
 * Who may call a route: anyone (`public`), any signed-in user (`authenticated`), this role or above on the
 * route's namespace or on some namespace (`viewer`), or this role or above on every namespace (`viewer on *`).
 */
type Minimum = 'public' | 'authenticated' | Role | `${Role} on *`;

/**
 * One row per route, keyed `METHOD path` with the API prefix (`/api/v1`, `/api/v1/main`) left out: both
 * prefixes are checked against the same row. Root routes keep their path.
 */
const EXPECTED: Record<string, Minimum> = {
  // health and metrics (routes/health.ts, routes/metrics.ts)
  'GET /health': 'public',
  'GET /ready': 'public',
  'GET /metrics': 'viewer on *',
  // the running processes (routes/cluster.ts)
  'GET /cluster': 'viewer on *',
  // OpenAPI document (app.ts)
  'GET /openapi.json': 'public',
  // flows (routes/flows.ts, routes/flows-bulk.ts)
  'POST /flows': 'editor',
  'GET /flows/search': 'viewer',
  'POST /flows/validate': 'viewer',
  'GET /flows/{namespace}': 'viewer',
  'POST /flows/{namespace}': 'editor',
  'GET /flows/{namespace}/{id}': 'viewer',
  'PUT /flows/{namespace}/{id}': 'editor',
  'DELETE /flows/{namespace}/{id}': 'editor',
  'GET /flows/{namespace}/{id}/revisions': 'viewer',
  'GET /flows/{namespace}/{id}/revisions/diff': 'viewer',
  'POST /flows/enable/by-ids': 'editor',
  'POST /flows/enable/by-query': 'editor',
  'POST /flows/disable/by-ids': 'editor',
  'POST /flows/disable/by-query': 'editor',
  'DELETE /flows/delete/by-ids': 'editor',
  'DELETE /flows/delete/by-query': 'editor',
  // namespaces, KV, secret names (routes/namespaces.ts)
  'GET /namespaces/search': 'viewer',
  'GET /namespaces/{namespace}': 'viewer',
  'GET /namespaces/{namespace}/secrets': 'viewer',
  'GET /namespaces/{namespace}/inherited-secrets': 'viewer',
  'GET /namespaces/{namespace}/kv': 'viewer',
  'GET /namespaces/{namespace}/kv/{key}': 'viewer',
  'PUT /namespaces/{namespace}/kv/{key}': 'editor',
  'DELETE /namespaces/{namespace}/kv/{key}': 'editor',
  // namespace files (routes/namespace-files.ts)
  'GET /namespaces/{namespace}/files/directory': 'viewer',
  'GET /namespaces/{namespace}/files': 'viewer',
  'POST /namespaces/{namespace}/files': 'editor',
  'DELETE /namespaces/{namespace}/files': 'editor',
  // executions (routes/executions*.ts)
  'POST /executions/{namespace}/{id}': 'runner',
  'GET /executions/search': 'viewer',
  'GET /executions/{executionId}': 'viewer',
  'DELETE /executions/{executionId}': 'editor',
  'GET /executions/{executionId}/follow': 'viewer',
  'DELETE /executions/{executionId}/kill': 'runner',
  'POST /executions/{executionId}/pause': 'runner',
  'POST /executions/{executionId}/resume': 'runner',
  'POST /executions/{executionId}/restart': 'runner',
  'POST /executions/{executionId}/state': 'runner',
  'DELETE /executions/kill/by-ids': 'runner',
  'DELETE /executions/kill/by-query': 'runner',
  'POST /executions/restart/by-ids': 'runner',
  'POST /executions/restart/by-query': 'runner',
  'POST /executions/{executionId}/replay': 'runner',
  'POST /executions/{executionId}/labels': 'runner',
  'GET /executions/{executionId}/file': 'viewer',
  'GET /executions/{executionId}/file/metas': 'viewer',
  // logs (routes/logs.ts)
  'GET /logs/{executionId}': 'viewer',
  'GET /logs/{executionId}/download': 'viewer',
  'GET /logs/{executionId}/follow': 'viewer',
  // webhooks: open, they check their own key (routes/webhooks.ts)
  'GET /executions/webhook/{namespace}/{id}/{key}': 'public',
  'POST /executions/webhook/{namespace}/{id}/{key}': 'public',
  'PUT /executions/webhook/{namespace}/{id}/{key}': 'public',
  // triggers (routes/triggers.ts)
  'GET /triggers/search': 'viewer',
  'GET /triggers/{namespace}/{flowId}': 'viewer',
  'PUT /triggers': 'editor',
  'POST /triggers/set-disabled/by-triggers': 'editor',
  'POST /triggers/{namespace}/{flowId}/{triggerId}/unlock': 'editor',
  'PUT /triggers/backfill/pause': 'editor',
  'PUT /triggers/backfill/unpause': 'editor',
  'POST /triggers/backfill/delete': 'editor',
  // users (routes/users.ts)
  'POST /users': 'admin on *',
  'GET /users/search': 'admin on *',
  'GET /users/{id}': 'admin on *',
  'PUT /users/{id}': 'admin on *',
  'DELETE /users/{id}': 'admin on *',
  // tokens (routes/tokens.ts)
  'GET /users/{id}/api-tokens': 'admin on *',
  'POST /users/{id}/api-tokens': 'admin on *',
  'DELETE /users/{id}/api-tokens/{tokenId}': 'admin on *',
  'GET /me': 'authenticated',
  'GET /me/api-tokens': 'authenticated',
  'POST /me/api-tokens': 'authenticated',
  'DELETE /me/api-tokens/{tokenId}': 'authenticated',
  // audit (routes/audit.ts)
  'GET /audit': 'admin on *',
  // route list (routes/route-list.ts)
  'GET /server/routes': 'admin on *',
  // dashboards' statistics (routes/stats.ts), over the namespaces the caller may view
  'POST /stats/executions/daily': 'viewer',
  'GET /stats/flows': 'viewer',
  // the flow JSON Schema for editors (routes/plugins.ts)
  'GET /plugins/schemas/{type}': 'authenticated',
  // the web UI's files and pages: open, the app signs in through the API (routes/ui.ts)
  'GET /': 'public',
  'GET /*': 'public',
};

/** Routes left out of the OpenAPI document on purpose (the document itself, the web UI's files). */
const UNDOCUMENTED = new Set(['GET /api/v1/openapi.json', 'GET /', 'GET /*']);

const RANK: Record<Role, number> = { viewer: 0, runner: 1, editor: 2, admin: 3 };
const PASSWORD = 'matrix-password-1';

/** The callers: one user per role on `*`, an editor limited to `company.*`, a user with no role at all. */
const CALLERS = {
  viewer: [{ role: 'viewer', namespace: '*' }],
  runner: [{ role: 'runner', namespace: '*' }],
  editor: [{ role: 'editor', namespace: '*' }],
  admin: [{ role: 'admin', namespace: '*' }],
  limited: [{ role: 'editor', namespace: 'company.*' }],
  nobody: [],
} as const;
type Caller = keyof typeof CALLERS;
const userOf = (caller: Caller) => `matrix-${caller}`;

const keyOf = (method: string, path: string): string =>
  `${method} ${path.replace(/^\/api\/v1\/main(?=\/)/, '').replace(/^\/api\/v1(?=\/)/, '')}`;

const fill = (path: string, namespace: string): string =>
  path.replace(/\{([^}]+)\}/g, (_, name: string) => (name === 'namespace' ? namespace : `made-up-${name}`));

/** Whether `caller` may call a route needing `min` (on the route's own namespace, `company.team`). */
const mayCall = (caller: Caller, min: Minimum): boolean => {
  if (min === 'public' || min === 'authenticated') return true;
  const [role, everywhere] = min.split(' on ') as [Role, string | undefined];
  if (caller === 'nobody') return false;
  // The limited editor has editor on `company.*` only: never a role on every namespace.
  if (caller === 'limited') return everywhere === undefined && RANK[role] <= RANK.editor;
  return RANK[caller] >= RANK[role];
};

interface Call {
  what: string;
  status: number;
  expected: 'allowed' | 401 | 403;
}

const judge = (c: Call): boolean =>
  c.expected === 'allowed' ? c.status !== 401 && c.status !== 403 && c.status < 500 : c.status === c.expected;

describe('every route needs exactly the access its row says', () => {
  let server: TestServer;
  let operations: { method: string; path: string }[] = [];

  beforeAll(async () => {
    server = await startServer();
    for (const [name, bindings] of Object.entries(CALLERS)) {
      const r = await server.request('/api/v1/users', {
        method: 'POST',
        json: { name: userOf(name as Caller), password: PASSWORD, bindings },
      });
      expect(r.status, await r.clone().text()).toBe(201);
    }
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    // Each caller signs in once first: the server then remembers the verified password (scrypt is slow
    // on purpose) for the calls below.
    for (const name of Object.keys(CALLERS))
      expect(
        (
          await fetch(`${server.url}/api/v1/me`, {
            headers: { authorization: basic(userOf(name as Caller), PASSWORD) },
          })
        ).status,
      ).toBe(200);
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => ({ method: m.toUpperCase(), path })),
    );
  });
  afterAll(async () => {
    await server?.dispose();
  });
  /** The documented operations and the undocumented exceptions: every route to check. */
  const targets = () => [
    ...operations,
    ...[...UNDOCUMENTED].map((k) => {
      const [method, path] = k.split(' ') as [string, string];
      return { method, path };
    }),
  ];
  /** The routes to call: each API route under Kestra 1.x's tenant prefix too (`/api/v1/main`). */
  const calledTargets = () =>
    targets().flatMap((t) =>
      t.path.startsWith('/api/v1/') && t.path !== '/api/v1/openapi.json'
        ? [t, { method: t.method, path: t.path.replace('/api/v1/', '/api/v1/main/') }]
        : [t],
    );

  it('the OpenAPI document lists every route the server has', async () => {
    const r = await server.request('/api/v1/server/routes');
    expect(r.status).toBe(200);
    const routes = (await r.json()) as { method: string; url: string; documented: boolean }[];
    const gets = new Set(routes.filter((x) => x.method === 'GET').map((x) => x.url));
    // Fastify answers HEAD for every GET route by itself; OpenAPI documents the GET.
    const served = routes
      .filter((x) => !(x.method === 'HEAD' && gets.has(x.url)))
      .map((x) => `${x.method} ${x.url}`)
      .filter((x) => !UNDOCUMENTED.has(x))
      .sort();
    const documented = operations.map((o) => `${o.method} ${o.path}`).sort();
    expect(documented).toEqual(served);
    // A route left out of the document must be one of the known exceptions.
    for (const x of routes.filter((y) => !y.documented))
      expect(UNDOCUMENTED.has(`${x.method === 'HEAD' ? 'GET' : x.method} ${x.url}`), `${x.url}`).toBe(true);
  });

  it('every route has a row in the table, and every row a route', () => {
    const keys = new Set(targets().map((t) => keyOf(t.method, t.path)));
    const missing = [...keys].filter((k) => !(k in EXPECTED));
    expect(missing, 'routes without a row in EXPECTED: add one per route').toEqual([]);
    const stale = Object.keys(EXPECTED).filter((k) => !keys.has(k));
    expect(stale, 'rows of EXPECTED whose route is gone').toEqual([]);
  });

  it('each route answers 401 without credentials (unless public) and allows or refuses each role as its row says', async () => {
    const calls: (() => Promise<Call>)[] = [];
    const send =
      (what: string, method: string, path: string, caller: Caller | undefined, expected: Call['expected']) =>
      async (): Promise<Call> => {
        const headers: Record<string, string> = {};
        if (caller) headers.authorization = basic(userOf(caller), PASSWORD);
        // Streams (follow) would not end: only the status matters, the body is dropped.
        const r = await fetch(`${server.url}${path}`, {
          method,
          headers,
          signal: AbortSignal.timeout(10_000),
        });
        await r.body?.cancel();
        return { what, status: r.status, expected };
      };
    for (const { method, path } of calledTargets()) {
      const key = keyOf(method, path);
      const min = EXPECTED[key];
      if (min === undefined) continue; // reported by the test above
      const url = fill(path, 'company.team');
      const label = `${method} ${path}`;
      calls.push(send(`${label} anonymous`, method, url, undefined, min === 'public' ? 'allowed' : 401));
      for (const caller of Object.keys(CALLERS) as Caller[])
        calls.push(
          send(`${label} as ${caller}`, method, url, caller, mayCall(caller, min) ? 'allowed' : 403),
        );
      if (path.includes('{namespace}') && min !== 'public' && min !== 'authenticated')
        calls.push(
          send(`${label} as limited on other.team`, method, fill(path, 'other.team'), 'limited', 403),
        );
    }
    // A few at a time: the server is one process on a shared machine.
    const results: Call[] = [];
    const queue = [...calls];
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        for (let next = queue.shift(); next; next = queue.shift()) results.push(await next());
      }),
    );
    const wrong = results
      .filter((c) => !judge(c))
      .map((c) => `${c.what}: ${c.status}, expected ${c.expected}`);
    expect(wrong).toEqual([]);
    expect(results.length).toBeGreaterThan(100);
    expect(results.some((c) => c.what.includes('/api/v1/main/'))).toBe(true);
  });
});
