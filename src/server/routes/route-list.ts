/**
 * The routes this server answers and who may call each (`GET /api/v1/server/routes`, admin of `*`): for
 * operators checking what a token could reach, and for the test that the OpenAPI document lists every
 * route and that each route's access is what the role table says.
 */
import { Type } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import type { Access, RouteModule } from '../context.ts';

export interface RouteInfo {
  method: string;
  /** The path as OpenAPI writes it: `/api/v1/flows/{namespace}/{id}`. */
  url: string;
  /** `public`, `authenticated`, or the role needed. */
  access: string;
  /** `param` (on the path's namespace), `global` (on `*`); absent: on some namespace. */
  scope?: 'param' | 'global';
  /** Whether the route is in the OpenAPI document (`schema.hide` leaves it out). */
  documented: boolean;
}

const describeAccess = (access: Access | undefined): Pick<RouteInfo, 'access' | 'scope'> =>
  access === undefined
    ? { access: 'undeclared' }
    : typeof access === 'string'
      ? { access }
      : { access: access.role, ...(access.namespace === undefined ? {} : { scope: access.namespace }) };

/** Collects routes as they are registered (Fastify's `onRoute` hook). */
export class RouteCatalog {
  readonly #routes: RouteInfo[] = [];

  add(route: RouteOptions): void {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const schema = route.schema as { hide?: boolean } | undefined;
    const url = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    for (const method of methods)
      this.#routes.push({
        method: String(method).toUpperCase(),
        url,
        ...describeAccess(route.config?.access),
        documented: schema?.hide !== true,
      });
  }

  list(): RouteInfo[] {
    return [...this.#routes].sort((a, b) => a.url.localeCompare(b.url) || a.method.localeCompare(b.method));
  }
}

const RouteInfoSchema = Type.Object({
  method: Type.String(),
  url: Type.String(),
  access: Type.String(),
  scope: Type.Optional(Type.Union([Type.Literal('param'), Type.Literal('global')])),
  documented: Type.Boolean(),
});

export const routeListRoutes =
  (catalog: RouteCatalog): RouteModule =>
  (app) => {
    app.get(
      '/server/routes',
      {
        config: { access: { role: 'admin', namespace: 'global' } },
        schema: {
          tags: ['server'],
          summary: 'Every route of the server and the access it needs',
          response: { 200: Type.Array(RouteInfoSchema) },
        },
      },
      async () => catalog.list(),
    );
  };
