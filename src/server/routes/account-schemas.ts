/**
 * Schemas of users and tokens as the API takes and answers them. The answer schemas are also a guard:
 * Fastify serialises an answer with its schema, so a field not listed here (a password hash, a token's
 * hash) never leaves the server even if a handler passed it by mistake.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { Accounts } from '../auth/accounts.ts';
import { NAMESPACE_PATTERN, ROLES } from '../auth/roles.ts';
import type { ServerContext } from '../context.ts';

export const RoleSchema = Type.Union(
  ROLES.map((r) => Type.Literal(r)),
  { description: 'viewer < runner < editor < admin' },
);

export const BindingSchema = Type.Object(
  {
    role: RoleSchema,
    namespace: Type.String({
      pattern: NAMESPACE_PATTERN.source,
      description: "'*', a namespace (company.team, with its sub-namespaces) or a prefix (company.*)",
    }),
  },
  { additionalProperties: false },
);

export const UserSchema = Type.Object({
  name: Type.String(),
  bindings: Type.Array(BindingSchema),
  disabled: Type.Boolean(),
  hasPassword: Type.Boolean({ description: 'false: the user signs in with API tokens only' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const TokenSchema = Type.Object({
  id: Type.String(),
  user: Type.String(),
  name: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  lastUsedAt: Type.Optional(Type.String({ format: 'date-time' })),
  expired: Type.Boolean(),
});

export const CreatedTokenSchema = Type.Composite([
  TokenSchema,
  Type.Object({
    token: Type.String({ description: 'The secret, shown in this answer only: send it as `Bearer <token>`' }),
  }),
]);

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    description: Type.Optional(Type.String({ description: 'Accepted for Kestra clients; not stored' })),
    maxAge: Type.Optional(
      Type.String({ description: 'ISO-8601 duration until it expires (Kestra): PT1H, P30D' }),
    ),
    expiresAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);
export type CreateTokenInput = Static<typeof CreateTokenBody>;

export const UserIdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
export const TokenIdParams = Type.Object({ tokenId: Type.String({ minLength: 1 }) });

/** The account operations for one request: audited as its caller, forgetting cached credentials. */
export const accountsFor = (ctx: ServerContext, req: FastifyRequest): Accounts =>
  new Accounts(ctx.engine.store, {
    audit: (entry) => ctx.audit(req, entry),
    forget: (user) => ctx.auth.forget(user),
  });
