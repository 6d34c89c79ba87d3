/**
 * Namespace files through the API, as Kestra's NamespaceFileController: list a directory, read, upload
 * (multipart `fileContent`) and delete a file (a directory: every file below it). The files are those the
 * flows of the namespace read (src/storage/namespace-files.ts). Viewers read; editors change, audited.
 */
import { Type } from '@sinclair/typebox';
import { NamespaceFiles } from '../../storage/namespace-files.ts';
import type { RouteModule } from '../context.ts';
import { HttpError } from '../errors.ts';

const TAGS = ['Files'];
const Params = Type.Object({ namespace: Type.String({ minLength: 1 }) });
const PathQuery = Type.Object({ path: Type.String({ minLength: 1, description: 'e.g. /scripts/main.py' }) });
const DirQuery = Type.Object({
  path: Type.Optional(Type.String({ description: 'The directory; / by default' })),
});

/** `/a/b/` → `/a/b`; `` → `/`. */
const normalDir = (path: string | undefined): string => {
  const trimmed = (path ?? '/').replace(/\/+$/, '');
  return trimmed.startsWith('/') ? trimmed || '/' : `/${trimmed}`;
};

/** A bad path (`..`, an empty name) is the caller's mistake: 422 with the storage's reason. */
const checked = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HttpError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/ENOENT|not found/i.test(message)) throw new HttpError(404, 'File not found');
    throw new HttpError(422, `path: ${message}`);
  }
};

export const namespaceFileRoutes: RouteModule = (app, ctx) => {
  const files = (namespace: string) => new NamespaceFiles(ctx.engine.storage, namespace);

  app.get(
    '/namespaces/:namespace/files/directory',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'The files and directories directly in a directory of the namespace files',
        params: Params,
        querystring: DirQuery,
      },
    },
    async (req) => {
      const dir = normalDir(req.query.path);
      const prefix = dir === '/' ? '/' : `${dir}/`;
      const store = files(req.params.namespace);
      const all = await checked(() => store.list());
      const entries = new Map<string, { fileName: string; type: 'File' | 'Directory'; size: number }>();
      for (const path of all) {
        if (!path.startsWith(prefix)) continue;
        const [name, ...rest] = path.slice(prefix.length).split('/');
        if (!name) continue;
        if (rest.length > 0) entries.set(name, { fileName: name, type: 'Directory', size: 0 });
        else
          entries.set(name, {
            fileName: name,
            type: 'File',
            size: await ctx.engine.storage.size(store.uri(path)).catch(() => 0),
          });
      }
      return [...entries.values()].sort((a, b) => a.fileName.localeCompare(b.fileName));
    },
  );

  app.get(
    '/namespaces/:namespace/files',
    {
      config: { access: { role: 'viewer', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'The content of a namespace file',
        params: Params,
        querystring: PathQuery,
      },
    },
    async (req, reply) => {
      const store = files(req.params.namespace);
      if (!(await checked(() => store.exists(req.query.path)))) throw new HttpError(404, 'File not found');
      const data = await checked(() => store.get(req.query.path));
      return reply.type('application/octet-stream').send(data);
    },
  );

  app.post(
    '/namespaces/:namespace/files',
    {
      config: { access: { role: 'editor', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'Upload a namespace file (multipart part `fileContent`); an existing file is replaced',
        consumes: ['multipart/form-data'],
        params: Params,
        querystring: PathQuery,
      },
    },
    async (req, reply) => {
      const { namespace } = req.params;
      const { path } = req.query;
      if (!req.isMultipart()) throw new HttpError(415, 'send the file as multipart/form-data (fileContent)');
      let stored = false;
      for await (const part of req.parts()) {
        if (part.type !== 'file' || part.fieldname !== 'fileContent') continue;
        await checked(() => files(namespace).put(path, part.file));
        stored = true;
      }
      if (!stored) throw new HttpError(422, 'fileContent: no file part in the request');
      await ctx.audit(req, { action: 'namespace-file.put', target: `${namespace}${path}`, namespace });
      return reply.status(204).send();
    },
  );

  app.delete(
    '/namespaces/:namespace/files',
    {
      config: { access: { role: 'editor', namespace: 'param' } },
      schema: {
        tags: TAGS,
        summary: 'Delete a namespace file, or a directory with every file below it',
        params: Params,
        querystring: PathQuery,
      },
    },
    async (req, reply) => {
      const { namespace } = req.params;
      const store = files(namespace);
      const dir = normalDir(req.query.path);
      const targets = (await checked(() => store.list())).filter((p) => p === dir || p.startsWith(`${dir}/`));
      if (targets.length === 0) throw new HttpError(404, 'File not found');
      for (const p of targets) await store.delete(p);
      await ctx.audit(req, {
        action: 'namespace-file.delete',
        target: `${namespace}${dir}`,
        namespace,
        details: { files: targets.length },
      });
      return reply.status(204).send();
    },
  );
};
