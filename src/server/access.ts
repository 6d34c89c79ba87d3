/**
 * Access control of every route: the `onRequest` hook authenticates the caller and checks the route's
 * declared `config.access`; handlers check items whose namespace only the data tells (an execution by
 * id, a search across namespaces) with `assertAllowed` and `allowed`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../store/types.ts';
import type { Authenticator } from './auth/authenticate.ts';
import { allows, allowsEverywhere, allowsSomewhere } from './auth/roles.ts';
import type { ServerContext } from './context.ts';
import { HttpError } from './errors.ts';

/** Failures worth an audit line (a guessed password, a stolen token); a missing header is not. */
const AUDITED = new Set(['unknown-user', 'bad-password', 'bad-token', 'expired', 'disabled']);

export const accessHook =
  (auth: Authenticator, ctx: () => ServerContext) =>
  async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = req.routeOptions.config?.access;
    // Unknown routes fall through to the 404 handler; a known route must say who may call it.
    if (req.routeOptions.url === undefined) return;
    if (access === undefined) throw new HttpError(500, `route ${req.routeOptions.url} declares no access`);
    if (access === 'public') return;
    const result = await auth.authenticate(req.headers.authorization);
    if (!result.ok) {
      if (AUDITED.has(result.reason))
        await ctx().audit(req, {
          action: 'login.failed',
          target: result.user ?? '',
          details: { reason: result.reason },
        });
      throw new HttpError(401, 'authentication required', { code: 'UNAUTHORIZED' });
    }
    req.principal = result.principal;
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
