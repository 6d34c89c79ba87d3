/**
 * Access control of every route: the `onRequest` hook refuses callers over the login limit, authenticates
 * the caller and checks the route's declared `config.access`; handlers check items whose namespace only
 * the data tells (an execution by id, a search across namespaces) with `assertAllowed` and `allowed`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../store/types.ts';
import { type Authenticator, claimedUser } from './auth/authenticate.ts';
import type { LoginLimiter } from './auth/login-limit.ts';
import { allows, allowsEverywhere, allowsSomewhere } from './auth/roles.ts';
import type { ServerContext } from './context.ts';
import { HttpError } from './errors.ts';

/**
 * Failures worth an audit line and counted by the login limit (a guessed password, a stolen or stale
 * token); a missing header is not.
 */
const AUDITED = new Set(['unknown-user', 'bad-password', 'bad-token', 'expired', 'disabled']);

export const accessHook =
  (auth: Authenticator, limiter: LoginLimiter, ctx: () => ServerContext) =>
  async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const access = req.routeOptions.config?.access;
    // Unknown routes fall through to the 404 handler; a known route must say who may call it.
    if (req.routeOptions.url === undefined) return;
    if (access === undefined) throw new HttpError(500, `route ${req.routeOptions.url} declares no access`);
    if (access === 'public') return;
    const header = req.headers.authorization;
    const claimed = claimedUser(header);
    if (header) {
      const blocked = limiter.check(claimed, req.ip);
      if (blocked) {
        void reply.header('retry-after', String(blocked.retryAfterSeconds));
        throw new HttpError(429, 'too many failed sign-ins: try again later', {
          code: 'TOO_MANY_REQUESTS',
        });
      }
    }
    const result = await auth.authenticate(header);
    if (!result.ok) {
      if (AUDITED.has(result.reason)) {
        limiter.fail(result.user ?? claimed, req.ip);
        await ctx().audit(req, {
          action: 'login.failed',
          target: result.user ?? '',
          details: { reason: result.reason },
        });
      }
      throw new HttpError(401, 'authentication required', { code: 'UNAUTHORIZED' });
    }
    limiter.succeed(result.principal.name, req.ip);
    req.principal = result.principal;
    if (access === 'authenticated') return;
    const { bindings } = result.principal;
    const ok =
      access.namespace === 'param'
        ? allows(bindings, access.role, String((req.params as { namespace?: string }).namespace ?? ''))
        : access.namespace === 'global'
          ? allowsEverywhere(bindings, access.role)
          : allowsSomewhere(bindings, access.role);
    if (!ok) throw new HttpError(403, `${access.role} role needed`, { code: 'FORBIDDEN' });
  };

/** Whether the caller has `role` on `namespace` (to filter lists). */
export const allowed = (req: FastifyRequest, role: Role, namespace: string): boolean =>
  req.principal !== undefined && allows(req.principal.bindings, role, namespace);

/**
 * Throws 403 unless the caller has `role` on `namespace`. For an item the caller may not even see,
 * say 404 (`hide`): its existence is not disclosed.
 */
export const assertAllowed = (req: FastifyRequest, role: Role, namespace: string, hide?: string): void => {
  if (allowed(req, role, namespace)) return;
  if (hide && !allowed(req, 'viewer', namespace)) throw new HttpError(404, `${hide} not found`);
  throw new HttpError(403, `${role} role needed on namespace ${namespace}`, { code: 'FORBIDDEN' });
};
