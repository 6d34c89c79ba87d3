/**
 * Users (admin of `*`), on Kestra Enterprise's paths: `POST /users`, `GET /users/search` (paged),
 * `GET|PUT|DELETE /users/{id}`. A user here is a name, an optional password (scrypt) and role bindings
 * per namespace pattern; Kestra's groups, emails and identity providers are not modelled.
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../context.ts';
import { accountsFor, BindingSchema, UserIdParams, UserSchema } from './account-schemas.ts';

const ADMIN = { access: { role: 'admin', namespace: 'global' } } as const;

const CreateUserBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.Optional(Type.String({ description: 'Absent: the user signs in with API tokens only' })),
    bindings: Type.Optional(Type.Array(BindingSchema)),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const UpdateUserBody = Type.Object(
  {
    password: Type.Optional(Type.String()),
    bindings: Type.Optional(Type.Array(BindingSchema, { description: 'Replaces all the bindings' })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ description: 'Part of the name' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  size: Type.Integer({ minimum: 1, maximum: 1000, default: 25 }),
});

export const userRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/users',
    {
      config: ADMIN,
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: CreateUserBody,
        response: { 201: UserSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await accountsFor(ctx, req).createUser(req.body)),
  );

  app.get(
    '/users/search',
    {
      config: ADMIN,
      schema: {
        tags: ['users'],
        summary: 'Search users',
        querystring: SearchQuery,
        response: { 200: Type.Object({ results: Type.Array(UserSchema), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const { q, page, size } = req.query;
      const needle = q?.toLowerCase();
      const all = (await accountsFor(ctx, req).listUsers()).filter(
        (u) => needle === undefined || u.name.toLowerCase().includes(needle),
      );
      return { results: all.slice((page - 1) * size, page * size), total: all.length };
    },
  );

  app.get(
    '/users/:id',
    {
      config: ADMIN,
      schema: { tags: ['users'], summary: 'Get a user', params: UserIdParams, response: { 200: UserSchema } },
    },
    async (req) => accountsFor(ctx, req).getUser(req.params.id),
  );

  app.put(
    '/users/:id',
    {
      config: ADMIN,
      schema: {
        tags: ['users'],
        summary: 'Change a user: password, bindings, disabled (what is absent is kept)',
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: UserSchema },
      },
    },
    async (req) => accountsFor(ctx, req).updateUser(req.params.id, req.body),
  );

  app.delete(
    '/users/:id',
    {
      config: ADMIN,
      schema: { tags: ['users'], summary: 'Delete a user and their tokens', params: UserIdParams },
    },
    async (req, reply) => {
      await accountsFor(ctx, req).deleteUser(req.params.id);
      return reply.status(204).send();
    },
  );
};
