/**
 * `GET /plugins/schemas/{type}`: the JSON Schema (draft-07) of a flow document, at Kestra's path
 * (PluginController), for editors: the web UI's YAML editor completes, documents and checks flows with it.
 * Only `flow` is served: Baton's task, trigger and condition schemas are inside it (`definitions`).
 */
import { Type } from '@sinclair/typebox';
import { flowJsonSchema } from '../../flow/index.ts';
import type { RouteModule } from '../context.ts';

/** The schema depends only on the server's build: computed once, on first use. */
let cached: string | undefined;

export const pluginRoutes: RouteModule = (app) => {
  app.get(
    '/plugins/schemas/:type',
    {
      config: { access: 'authenticated' },
      schema: {
        tags: ['Plugins'],
        summary: 'The JSON Schema (draft-07) of a flow',
        params: Type.Object({
          type: Type.Union([Type.Literal('flow')], { description: 'The schema needed: flow' }),
        }),
      },
    },
    async (_req, reply) => {
      cached ??= JSON.stringify(flowJsonSchema());
      // Kestra lets clients keep it an hour; private: it is answered to signed-in callers only.
      return reply.header('cache-control', 'private, max-age=3600').type('application/json').send(cached);
    },
  );
};
