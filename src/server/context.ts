/**
 * What route modules are given. Glossary:
 * - Role (server process role): `api`, `scheduler`, `executor`, `worker`; `baton server --roles`.
 * - Access: what a route needs (`config.access`): `public`, or a user role on the route's namespace,
 *   on some namespace (the handler then checks each item), or on every namespace (`global`).
 * - Principal: the authenticated caller (a user, or a token acting as its user).
 */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';
import type { Embedded } from '../runtime/embedded.ts';
import type { AuditEntry, Role } from '../store/types.ts';
import type { Authenticator, Principal } from './auth/authenticate.ts';
import type { LoginLimitOptions } from './auth/login-limit.ts';
import type { ServerMetrics } from './metrics.ts';

export type Access =
  | 'public'
  /** Any signed-in user, whatever their roles: the route acts only on the caller's own things (`/me`). */
  | 'authenticated'
  | {
      role: Role;
      /**
       * `param`: the role is needed on `params.namespace`. `global`: on `*` (users, tokens, audit).
       * Absent: on at least one namespace; the handler checks each item (`assertAllowed`, `allowed`).
       */
      namespace?: 'param' | 'global';
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Required on every route: a route without it answers 500 (access is never left open by mistake). */
    access?: Access;
  }
  interface FastifyRequest {
    /** Set for every route whose access is not `public`. */
    principal?: Principal;
  }
}

export interface ServerOptions {
  /** Largest request body in bytes (flows, inputs, KV). */
  bodyLimit: number;
  /** Largest webhook body in bytes: above it, 413. */
  webhookBodyLimit: number;
  /** Origins allowed by CORS; none (the default) means no CORS headers at all. */
  corsOrigins: string[];
  /** Failed sign-ins allowed per user and per address in a sliding window (see auth/login-limit.ts). */
  loginLimit: LoginLimitOptions;
}

export interface ServerContext {
  engine: Embedded;
  auth: Authenticator;
  options: ServerOptions;
  metrics: ServerMetrics;
  log: FastifyBaseLogger;
  /** Appends to the audit log: who (from the request), when and from where are filled in. */
  audit(req: FastifyRequest, entry: Omit<AuditEntry, 'at' | 'actor' | 'source'>): Promise<void>;
  /** The audit line for `entry` (who, when, from where filled in), to commit with a change it records. */
  auditEntry(req: FastifyRequest, entry: Omit<AuditEntry, 'at' | 'actor' | 'source'>): AuditEntry;
}

export type Api = FastifyInstance<
  import('node:http').Server,
  import('node:http').IncomingMessage,
  import('node:http').ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A group of routes (flows, executions...), registered under `/api/v1` and `/api/v1/main`. */
export type RouteModule = (app: Api, ctx: ServerContext) => void;
