/**
 * Statistics for the dashboards, over the namespaces the caller may view:
 * - `POST /stats/executions/daily` (Kestra's path and answer): executions per day and state, every day of
 *   the range present (zero days included) so that a chart's axis has no holes;
 * - `GET /stats/flows` (Baton's): per flow, run counts, failure rate, duration p50/p95, and the time the
 *   runs saved: successful runs × the minutes a person would spend doing the run by hand.
 *
 * The minutes per run are the flow's label `baton.io/minutes-saved` (read from the latest revision), not
 * a table of their own: the setting then travels with the flow's YAML (export, Git sync, revisions and
 * their audit trail) and needs no new storage in either store backend. The UI edits it by saving the
 * flow with the label changed.
 */
import { Type } from '@sinclair/typebox';
import type { Flow } from '../../flow/types.ts';
import type { ExecutionFilter } from '../../store/types.ts';
import type { RouteModule } from '../context.ts';
import { HttpError } from '../errors.ts';
import { viewableWithin } from './executions-read.ts';

export const MINUTES_SAVED_LABEL = 'baton.io/minutes-saved';

/** A range longer than this is refused: the daily answer has one row per day. */
const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const DailyBody = Type.Object({
  namespace: Type.Optional(Type.String({ description: 'The namespace and those below it' })),
  flowId: Type.Optional(Type.String()),
  startDate: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 30 days ago' })),
  endDate: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
});

const FlowsQuery = Type.Object({
  namespace: Type.Optional(Type.String({ description: 'The namespace and those below it' })),
  startDate: Type.Optional(Type.String({ format: 'date-time', description: 'Default: 30 days ago' })),
  endDate: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
});

const rangeOf = (q: { startDate?: string; endDate?: string }): { since: string; until: string } => {
  const until = q.endDate === undefined ? Date.now() : Date.parse(q.endDate);
  const since = q.startDate === undefined ? until - 30 * DAY_MS : Date.parse(q.startDate);
  if (since > until) throw new HttpError(400, 'startDate is after endDate');
  if (until - since > MAX_DAYS * DAY_MS) throw new HttpError(400, `at most ${MAX_DAYS} days at once`);
  return { since: new Date(since).toISOString(), until: new Date(until).toISOString() };
};

/** The label's value as minutes (a positive number), else undefined. */
export const minutesSavedOf = (flow: Pick<Flow, 'labels'> | undefined): number | undefined => {
  const labels = flow?.labels;
  if (!labels) return undefined;
  const raw = Array.isArray(labels)
    ? labels.find((l) => l.key === MINUTES_SAVED_LABEL)?.value
    : labels[MINUTES_SAVED_LABEL];
  const minutes = Number(raw);
  return raw !== undefined && Number.isFinite(minutes) && minutes > 0 ? minutes : undefined;
};

export const statsRoutes: RouteModule = (app, ctx) => {
  app.post(
    '/stats/executions/daily',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags: ['Stats'],
        summary: 'Executions per day and state',
        body: DailyBody,
        response: {
          200: Type.Array(
            Type.Object({
              startDate: Type.String({ description: 'The UTC day, YYYY-MM-DD' }),
              executionCounts: Type.Record(Type.String(), Type.Integer()),
            }),
          ),
        },
      },
    },
    async (req) => {
      const range = rangeOf(req.body ?? {});
      const filter: ExecutionFilter = {
        ...range,
        flowId: req.body?.flowId,
        namespaces: viewableWithin(req, req.body?.namespace),
      };
      const { daily } = await ctx.engine.store.executionStats(filter);
      const days = new Map<string, Record<string, number>>();
      for (let t = Date.parse(range.since.slice(0, 10)); t <= Date.parse(range.until); t += DAY_MS)
        days.set(new Date(t).toISOString().slice(0, 10), {});
      for (const { day, state, count } of daily) {
        const counts = days.get(day) ?? {};
        counts[state] = count;
        days.set(day, counts);
      }
      return [...days].map(([startDate, executionCounts]) => ({ startDate, executionCounts }));
    },
  );

  app.get(
    '/stats/flows',
    {
      config: { access: { role: 'viewer' } },
      schema: {
        tags: ['Stats'],
        summary: 'Per flow: runs, failure rate, duration p50/p95, time saved',
        querystring: FlowsQuery,
        response: {
          200: Type.Object({
            results: Type.Array(
              Type.Object({
                namespace: Type.String(),
                flowId: Type.String(),
                total: Type.Integer(),
                successes: Type.Integer(),
                failures: Type.Integer(),
                failureRate: Type.Number({ description: 'failures / total, 0..1' }),
                durationP50Ms: Type.Optional(Type.Integer()),
                durationP95Ms: Type.Optional(Type.Integer()),
                minutesSavedPerRun: Type.Optional(
                  Type.Number({ description: `The ${MINUTES_SAVED_LABEL} label` }),
                ),
                minutesSaved: Type.Number({ description: 'successes × minutesSavedPerRun' }),
              }),
            ),
          }),
        },
      },
    },
    async (req) => {
      const filter: ExecutionFilter = {
        ...rangeOf(req.query),
        namespaces: viewableWithin(req, req.query.namespace),
      };
      const { flows } = await ctx.engine.store.executionStats(filter);
      const results = await Promise.all(
        flows.map(async (f) => {
          const flow = await ctx.engine.flows.get(f.namespace, f.flowId).catch(() => undefined);
          const perRun = minutesSavedOf(flow);
          return {
            namespace: f.namespace,
            flowId: f.flowId,
            total: f.total,
            successes: f.successes,
            failures: f.failures,
            failureRate: f.total === 0 ? 0 : f.failures / f.total,
            ...(f.p50Ms === undefined ? {} : { durationP50Ms: f.p50Ms }),
            ...(f.p95Ms === undefined ? {} : { durationP95Ms: f.p95Ms }),
            ...(perRun === undefined ? {} : { minutesSavedPerRun: perRun }),
            minutesSaved: (perRun ?? 0) * f.successes,
          };
        }),
      );
      return { results };
    },
  );
};
