/**
 * The audit log (`GET /audit`, admin of `*`): who changed what, when and from where, newest first, with
 * filters and pages. There is no route that changes or removes an entry (the table refuses it too).
 */
import { Type } from '@sinclair/typebox';
import type { RouteModule } from '../context.ts';

const AuditEntrySchema = Type.Object({
  seq: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actor: Type.String({ description: "The user; 'anonymous' for a failed sign-in" }),
  action: Type.String({ description: 'flow.create, execution.kill, user.update, login.failed...' }),
  target: Type.String(),
  namespace: Type.Optional(Type.String()),
  source: Type.Optional(Type.String({ description: 'The client address' })),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

const AuditQuery = Type.Object({
  actor: Type.Optional(Type.String()),
  action: Type.Optional(
    Type.String({ description: "An action ('flow.create') or a family of them ('flow')" }),
  ),
  namespace: Type.Optional(Type.String()),
  target: Type.Optional(Type.String()),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or after this instant' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Entries at or before this instant' })),
  page: Type.Integer({ minimum: 1, default: 1 }),
  size: Type.Integer({ minimum: 1, maximum: 1000, default: 25 }),
});

export const auditRoutes: RouteModule = (app, ctx) => {
  app.get(
    '/audit',
    {
      config: { access: { role: 'admin', namespace: 'global' } },
      schema: {
        tags: ['audit'],
        summary: 'Search the audit log, newest first',
        querystring: AuditQuery,
        response: { 200: Type.Object({ results: Type.Array(AuditEntrySchema), total: Type.Integer() }) },
      },
    },
    async (req) => {
      const { actor, action, namespace, target, from, to, page, size } = req.query;
      // Stored instants are ISO strings in UTC: bounds are normalised so that they compare as text.
      const filter = {
        actor,
        action,
        namespace,
        target,
        since: from === undefined ? undefined : new Date(from).toISOString(),
        until: to === undefined ? undefined : new Date(to).toISOString(),
      };
      const [results, total] = await Promise.all([
        ctx.engine.store.queryAudit({ ...filter, limit: size, offset: (page - 1) * size }),
        ctx.engine.store.countAudit(filter),
      ]);
      return { results, total };
    },
  );
};
