/**
 * Namespaces (Kestra's NamespaceController, KVController, NamespaceSecretController): the namespaces
 * (those of the flows and their parents), a namespace's key-value entries, and the NAMES of the
 * secrets a flow of the namespace can read; a secret's value is never answered.
 */
import { Type } from '@sinclair/typebox';
import { envSecrets } from '../../secrets/index.ts';
import type { KvEntry } from '../../store/types.ts';
import { durationMs } from '../../util/duration.ts';
import { allowed } from '../access.ts';
import type { Api, RouteModule } from '../context.ts';
import { HttpError } from '../errors.ts';
import { page } from '../flows/search.ts';

const TAGS = ['Namespaces'];
const KV_TAGS = ['KV'];

const NamespaceParams = Type.Object({ namespace: Type.String({ description: 'The namespace' }) });
/** Kestra's KV key rule: a letter or digit, then letters, digits, `.`, `_` or `-`. */
const KEY_PATTERN = '^[a-zA-Z0-9][a-zA-Z0-9._-]*$';
const KvParams = Type.Object({
  namespace: Type.String({ description: 'The namespace' }),
  key: Type.String({ pattern: KEY_PATTERN, description: 'The key' }),
});
const Paging = {
  page: Type.Integer({ minimum: 1, default: 1 }),
  size: Type.Integer({ minimum: 1, maximum: 10_000, default: 10 }),
  sort: Type.Optional(Type.Array(Type.String(), { description: "'id:asc' or 'id:desc'" })),
  q: Type.Optional(Type.String({ description: 'Text found in the name' })),
};

/** A namespace and every parent of it: `a.b.c` → `a`, `a.b`, `a.b.c` (as Kestra lists them). */
const withParents = (namespace: string): string[] => {
  const parts = namespace.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
};

const descending = (sort: string[] | undefined) => (sort ?? []).some((s) => s.endsWith(':desc'));

/** Kestra's KVType of a value, as the GET of a key answers it. */
const kvType = (value: unknown): string => {
  if (typeof value === 'string') return 'STRING';
  if (typeof value === 'number') return 'NUMBER';
  if (typeof value === 'boolean') return 'BOOLEAN';
  return 'JSON';
};

/** Kestra's KVEntry. The store keeps one date per entry: its last write (creation date included). */
const kvEntryJson = (e: KvEntry) => ({
  key: e.key,
  creationDate: e.updatedAt,
  updateDate: e.updatedAt,
  ...(e.expiresAt ? { expirationDate: e.expiresAt } : {}),
});

/**
 * A PUT body: JSON when it parses as JSON (`42`, `true`, `{"a":1}`, `"text"`), else the text itself, as
 * Kestra reads it (its parser also takes an unquoted word as a string).
 */
const kvValue = (body: unknown): unknown => {
  const text = typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : undefined;
  if (text === undefined) return body;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
};

const kvRoutes = (app: Api, ctx: Parameters<RouteModule>[1]) => {
  const store = ctx.engine.store;
  // A value is any JSON or text: the JSON body is read as text here, so that a plain word sent as JSON
  // is stored as a string instead of being refused before the handler sees it.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.get(
    '/namespaces/:namespace/kv',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: { tags: KV_TAGS, summary: "A namespace's keys (not their values)", params: NamespaceParams },
    },
    async (req) => (await store.kvList(req.params.namespace)).map(kvEntryJson),
  );

  app.get(
    '/namespaces/:namespace/kv/:key',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: { tags: KV_TAGS, summary: 'The value of a key, with its type', params: KvParams },
    },
    async (req) => {
      const { namespace, key } = req.params;
      const entry = await store.kvGet(namespace, key);
      if (!entry) throw new HttpError(404, `No value found for key '${key}' in namespace '${namespace}'`);
      return { type: kvType(entry.value), value: entry.value };
    },
  );

  app.put(
    '/namespaces/:namespace/kv/:key',
    {
      config: { access: { role: 'editor', namespace: 'param' } },
      schema: {
        tags: KV_TAGS,
        summary:
          'Set the value of a key: the body is JSON or text; a `ttl` header (ISO-8601) makes it expire',
        consumes: ['application/json', 'text/plain'],
        params: KvParams,
        headers: Type.Object({
          ttl: Type.Optional(Type.String({ description: 'ISO-8601 duration, e.g. PT1H' })),
        }),
      },
    },
    async (req, reply) => {
      const { namespace, key } = req.params;
      const ttl = req.headers.ttl;
      const ttlMs = ttl === undefined ? undefined : durationMs(ttl);
      if (ttl !== undefined && (ttlMs === undefined || ttlMs <= 0))
        throw new HttpError(422, `ttl: '${ttl}' is not a positive ISO-8601 duration such as PT1H or P1D`);
      if (req.body === undefined || req.body === '')
        throw new HttpError(422, 'body: the value is missing (send JSON or text)');
      const value = kvValue(req.body);
      await store.kvSet(namespace, key, value, { ttlMs });
      await ctx.audit(req, {
        action: 'kv.set',
        target: `${namespace}/${key}`,
        namespace,
        details: { type: kvType(value), ...(ttl ? { ttl } : {}) },
      });
      return reply.status(204).send();
    },
  );

  app.delete(
    '/namespaces/:namespace/kv/:key',
    {
      config: { access: { role: 'editor', namespace: 'param' } },
      schema: { tags: KV_TAGS, summary: 'Delete a key; answers whether it existed', params: KvParams },
    },
    async (req) => {
      const { namespace, key } = req.params;
      const deleted = await store.kvDelete(namespace, key);
      if (deleted) await ctx.audit(req, { action: 'kv.delete', target: `${namespace}/${key}`, namespace });
      return deleted;
    },
  );
};

export const namespaceRoutes: RouteModule = (app, ctx) => {
  void app.register(async (scoped) => kvRoutes(scoped as Api, ctx));

  app.get(
    '/namespaces/search',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags: TAGS,
        summary: 'The namespaces of the flows and their parents, that the caller may view',
        querystring: Type.Object({ ...Paging, existing: Type.Optional(Type.Boolean()) }),
      },
    },
    async (req) => {
      const { q, sort, page: pageNumber, size } = req.query;
      const names = new Set<string>();
      for (const flow of await ctx.engine.store.listFlows())
        for (const ns of withParents(flow.namespace)) names.add(ns);
      const ids = [...names]
        .filter((ns) => allowed(req, 'viewer', ns) && (!q || ns.toLowerCase().includes(q.toLowerCase())))
        .sort();
      if (descending(sort)) ids.reverse();
      return { results: page(ids, pageNumber, size).map((id) => ({ id })), total: ids.length };
    },
  );

  app.get(
    '/namespaces/:namespace',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: { tags: TAGS, summary: 'A namespace', params: NamespaceParams },
    },
    async (req) => ({ id: req.params.namespace }),
  );

  const secretNames = (q: string | undefined) =>
    envSecrets()
      .keys()
      .filter((k) => !q || k.toLowerCase().includes(q.toLowerCase()));

  app.get(
    '/namespaces/:namespace/secrets',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary:
          'The names of the secrets the flows of a namespace can read (from the server environment: ' +
          'SECRET_<NAME>, BATON_SECRET_<NAME>); never their values',
        params: NamespaceParams,
        querystring: Type.Object({ ...Paging }, { additionalProperties: true }),
      },
    },
    async (req) => {
      const { page: pageNumber, size, sort } = req.query;
      const filterQ = (req.query as Record<string, unknown>)['filters[q][EQUALS]'];
      const keys = secretNames(req.query.q ?? (typeof filterQ === 'string' ? filterQ : undefined));
      if (descending(sort)) keys.reverse();
      return {
        readOnly: true,
        results: page(keys, pageNumber, size).map((key) => ({ key })),
        total: keys.length,
      };
    },
  );

  app.get(
    '/namespaces/:namespace/inherited-secrets',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'The names of the secrets a namespace can read, by the namespace defining them',
        params: NamespaceParams,
      },
    },
    // Secrets come from the server's environment: every namespace reads the same ones.
    async (req) => ({ [req.params.namespace]: secretNames(undefined) }),
  );
};
