/**
 * Files of an execution (its FILE inputs, its tasks' output files) by `kestra:///` path: the download
 * (`GET /executions/{executionId}/file?path=`) and its size (`.../file/metas`). Only paths inside that
 * execution's own storage folder are served: another execution's file, or a path climbing out with
 * `..`, is refused, whatever the caller may see elsewhere.
 */
import { Type } from '@sinclair/typebox';
import type { Execution } from '../../execution/types.ts';
import { executionSegments, parseUri } from '../../storage/uri.ts';
import type { RouteModule } from '../context.ts';
import { HttpError } from '../errors.ts';
import { ExecutionIdParams, loadExecution } from './execution-common.ts';

const FileQuery = Type.Object({
  path: Type.String({ minLength: 1, maxLength: 4096, description: 'A kestra:/// URI of the execution' }),
});

/** Throws unless `uri` names a file inside the execution's folder (parseUri refuses `..` and the like). */
export const assertFileOf = (execution: Execution, uri: string): void => {
  const segments = parseUri(uri);
  const prefix = executionSegments({
    namespace: execution.namespace,
    flowId: execution.flowId,
    executionId: execution.id,
  });
  const inside = segments.length > prefix.length && prefix.every((s, i) => segments[i] === s);
  if (!inside) throw new HttpError(422, `path: ${uri} is not a file of execution ${execution.id}`);
};

/** A file name for Content-Disposition: the last segment, quotes and controls dropped. */
const attachmentName = (uri: string): string => {
  const last = parseUri(uri).at(-1) ?? 'file';
  const ascii = last.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(last)}`;
};

export const executionFileRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/executions/:executionId/file',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags: ['Executions'],
        summary: 'Download a file of an execution',
        produces: ['application/octet-stream'],
        params: ExecutionIdParams,
        querystring: FileQuery,
      },
    },
    async (req, reply) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'viewer');
      const { path } = req.query;
      assertFileOf(execution, path);
      const size = await ctx.engine.storage.size(path);
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-length', size)
        .header('content-disposition', attachmentName(path))
        .send(ctx.engine.storage.createReadStream(path));
    },
  );

  app.get(
    '/executions/:executionId/file/metas',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags: ['Executions'],
        summary: 'Size of a file of an execution',
        params: ExecutionIdParams,
        querystring: FileQuery,
      },
    },
    async (req) => {
      const execution = await loadExecution(ctx, req, req.params.executionId, 'viewer');
      assertFileOf(execution, req.query.path);
      return { size: await ctx.engine.storage.size(req.query.path) };
    },
  );
};
