/**
 * API tokens. An admin of `*` manages anyone's on Kestra Enterprise's paths (`/users/{id}/api-tokens`,
 * `DELETE /users/{id}/api-tokens/{tokenId}`); every signed-in user manages their own under `/me`
 * (`GET /me`, `GET|POST /me/api-tokens`, `DELETE /me/api-tokens/{tokenId}`), whatever their roles.
 * A token acts as its user, with the user's roles; its secret is in the creating answer only.
 */
import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { durationMs } from '../../util/duration.ts';
import type { Principal } from '../auth/authenticate.ts';
import type { RouteModule, ServerContext } from '../context.ts';
import { HttpError } from '../errors.ts';
import {
  accountsFor,
  BindingSchema,
  CreatedTokenSchema,
  CreateTokenBody,
  type CreateTokenInput,
  TokenIdParams,
  TokenSchema,
  UserIdParams,
} from './account-schemas.ts';

const ADMIN = { access: { role: 'admin', namespace: 'global' } } as const;
const SIGNED_IN = { access: 'authenticated' } as const;

/** When a token asked with `maxAge` (ISO-8601 duration, as Kestra) or `expiresAt` expires. */
const expiryOf = (body: CreateTokenInput): string | undefined => {
  if (body.maxAge !== undefined && body.expiresAt !== undefined)
    throw new HttpError(400, 'give maxAge or expiresAt, not both');
  if (body.maxAge === undefined) return body.expiresAt;
  const ms = durationMs(body.maxAge);
  if (ms === undefined || ms <= 0)
    throw new HttpError(400, `maxAge: '${body.maxAge}' is not a positive ISO-8601 duration (PT1H, P30D)`);
  return new Date(Date.now() + ms).toISOString();
};

const caller = (req: FastifyRequest): Principal => {
  if (!req.principal) throw new HttpError(401, 'authentication required');
  return req.principal;
};

/**
 * A token made with a token never outlives it: otherwise a leaked short-lived token could mint itself a
 * permanent one.
 */
const cappedExpiry = async (
  ctx: ServerContext,
  principal: Principal,
  wanted: string | undefined,
): Promise<string | undefined> => {
  if (principal.via !== 'token' || principal.tokenId === undefined) return wanted;
  const own = (await ctx.engine.store.listTokens(principal.name)).find((t) => t.id === principal.tokenId);
  if (own?.expiresAt === undefined) return wanted;
  return wanted === undefined || Date.parse(wanted) > Date.parse(own.expiresAt) ? own.expiresAt : wanted;
};

export const tokenRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/users/:id/api-tokens',
    {
      config: ADMIN,
      schema: {
        tags: ['users'],
        summary: "List a user's API tokens (never their secrets)",
        params: UserIdParams,
        response: { 200: Type.Array(TokenSchema) },
      },
    },
    async (req) => accountsFor(ctx, req).listTokens(req.params.id),
  );

  app.post(
    '/users/:id/api-tokens',
    {
      config: ADMIN,
      schema: {
        tags: ['users'],
        summary: 'Create an API token for a user: its secret is in this answer only',
        params: UserIdParams,
        body: CreateTokenBody,
        response: { 201: CreatedTokenSchema },
      },
    },
    async (req, reply) => {
      const created = await accountsFor(ctx, req).createToken(req.params.id, {
        name: req.body.name,
        expiresAt: expiryOf(req.body),
      });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/users/:id/api-tokens/:tokenId',
    {
      config: ADMIN,
      schema: {
        tags: ['users'],
        summary: "Revoke one of a user's API tokens",
        params: Type.Composite([UserIdParams, TokenIdParams]),
      },
    },
    async (req, reply) => {
      await accountsFor(ctx, req).revokeToken(req.params.tokenId, req.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/me',
    {
      config: SIGNED_IN,
      schema: {
        tags: ['users'],
        summary: 'Who is calling, and their roles',
        response: {
          200: Type.Object({
            name: Type.String(),
            bindings: Type.Array(BindingSchema),
            authenticatedWith: Type.Union([Type.Literal('password'), Type.Literal('token')]),
            tokenId: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (req) => {
      const me = caller(req);
      return {
        name: me.name,
        bindings: me.bindings,
        authenticatedWith: me.via,
        ...(me.tokenId === undefined ? {} : { tokenId: me.tokenId }),
      };
    },
  );

  app.get(
    '/me/api-tokens',
    {
      config: SIGNED_IN,
      schema: {
        tags: ['users'],
        summary: 'List my API tokens (never their secrets)',
        response: { 200: Type.Array(TokenSchema) },
      },
    },
    async (req) => accountsFor(ctx, req).listTokens(caller(req).name),
  );

  app.post(
    '/me/api-tokens',
    {
      config: SIGNED_IN,
      schema: {
        tags: ['users'],
        summary: 'Create an API token for myself: its secret is in this answer only',
        body: CreateTokenBody,
        response: { 201: CreatedTokenSchema },
      },
    },
    async (req, reply) => {
      const me = caller(req);
      const created = await accountsFor(ctx, req).createToken(me.name, {
        name: req.body.name,
        expiresAt: await cappedExpiry(ctx, me, expiryOf(req.body)),
      });
      return reply.status(201).send(created);
    },
  );

  app.delete(
    '/me/api-tokens/:tokenId',
    {
      config: SIGNED_IN,
      schema: { tags: ['users'], summary: 'Revoke one of my API tokens', params: TokenIdParams },
    },
    async (req, reply) => {
      await accountsFor(ctx, req).revokeToken(req.params.tokenId, caller(req).name);
      return reply.status(204).send();
    },
  );
};
