/**
 * One row per registered trigger and condition type. A condition is evaluated for real: it is put on a
 * Flow trigger of flow `down` (next to an ExecutionFlow condition on flow `up` of the same namespace, so
 * that no other row's execution starts it), `up` runs, and `down` must start. A trigger row gives the
 * trigger of `down` itself. every-type.test.ts runs each row once per name of the type.
 */
import type { GapRow } from './every-type.table.ts';

type Props = Record<string, unknown>;

export interface ConditionRow {
  /** The condition under test, without `type`; it must hold for the ended execution of `up`. */
  condition: Props | ((ns: string) => Props);
  /** Tasks of `up` (a Log by default). */
  up?: Props[];
  /** Other fields of `up` (labels, outputs...). */
  upFlow?: Props;
}

export interface TriggerRow {
  /** The trigger of `down`, without `id` and `type`; it must start `down` when `up` ends. */
  trigger: (ns: string) => Props;
}

const C = 'io.kestra.plugin.core.condition';
const SAT = '2024-01-06T10:00:00Z'; // a Saturday, the first of its month
const succeeded = { type: `${C}.ExecutionStatus`, in: ['SUCCESS'] };

export const triggerTable: Record<string, TriggerRow | GapRow> = {
  'io.kestra.plugin.core.trigger.Flow': {
    trigger: (ns) => ({ conditions: [{ type: `${C}.ExecutionFlow`, namespace: ns, flowId: 'up' }] }),
  },
  'io.kestra.plugin.core.trigger.Schedule': { gap: 'Baton has no scheduler yet: cron triggers never fire' },
  'io.kestra.plugin.core.trigger.ScheduleOnDates': {
    gap: 'Baton has no scheduler yet: dated triggers never fire',
  },
  'io.kestra.plugin.core.trigger.Webhook': { gap: 'Baton has no API server yet: webhooks cannot be called' },
  'io.kestra.plugin.core.http.Trigger': { gap: 'scheduler-run: test/integrations/http-trigger.test.ts' },
  ...Object.fromEntries(
    ['amqp.Trigger', 'amqp.RealtimeTrigger', 'mqtt.Trigger', 'mqtt.RealtimeTrigger'].map((t) => [
      `io.kestra.plugin.${t}`,
      { gap: 'broker trigger: run by the server scheduler, tested end to end in test/integrations/' },
    ]),
  ),
  ...Object.fromEntries(
    ['postgresql', 'mysql', 'sqlite'].map((db) => [
      `io.kestra.plugin.jdbc.${db}.Trigger`,
      {
        gap: 'polling trigger: this engine runs no scheduler; tested end to end in test/jdbc/sql-trigger.test.ts',
      },
    ]),
  ),
  // Broker and file triggers run in baton server's scheduler, not under a Flow trigger: each is tested
  // end to end (publish → execution, crash before the acknowledgment) in test/integrations/.
  'io.kestra.plugin.nats.Trigger': { gap: 'scheduler-run: test/integrations/nats.test.ts' },
  'io.kestra.plugin.nats.RealtimeTrigger': { gap: 'scheduler-run: test/integrations/nats.test.ts' },
  'io.kestra.plugin.redis.list.Trigger': { gap: 'scheduler-run: test/integrations/redis.test.ts' },
  'io.kestra.plugin.redis.list.RealtimeTrigger': { gap: 'scheduler-run: test/integrations/redis.test.ts' },
  'io.kestra.plugin.fs.local.Trigger': { gap: 'scheduler-run: test/integrations/fs-local.test.ts' },
  'io.kestra.plugin.fs.local.RealtimeTrigger': { gap: 'scheduler-run: test/integrations/fs-local.test.ts' },
};

export const conditionTable: Record<string, ConditionRow | GapRow> = {
  [`${C}.ExecutionFlow`]: { condition: (ns) => ({ flowId: 'up', namespace: ns }) },
  [`${C}.ExecutionStatus`]: { condition: { in: ['SUCCESS'] } },
  [`${C}.ExecutionNamespace`]: { condition: { namespace: 'every', comparison: 'PREFIX' } },
  [`${C}.ExecutionLabels`]: { condition: { labels: { team: 'data' } }, upFlow: { labels: { team: 'data' } } },
  [`${C}.ExecutionOutputs`]: {
    condition: { expression: "{{ trigger.outputs.o == 'x' }}" },
    upFlow: { outputs: [{ id: 'o', type: 'STRING', value: 'x' }] },
  },
  [`${C}.HasRetryAttempt`]: {
    condition: { in: ['FAILED'] },
    up: [
      {
        id: 'f',
        type: 'io.kestra.plugin.core.execution.Fail',
        retry: { type: 'constant', interval: 'PT0.01S', maxAttempt: 2 },
      },
    ],
  },
  [`${C}.FlowCondition`]: { condition: (ns) => ({ namespace: ns, flowId: 'down' }) },
  [`${C}.FlowNamespaceCondition`]: { condition: { namespace: 'every', prefix: true } },
  [`${C}.DayWeek`]: { condition: { date: SAT, dayOfWeek: 'SATURDAY' } },
  [`${C}.DayWeekInMonth`]: { condition: { date: SAT, dayOfWeek: 'SATURDAY', dayInMonth: 'FIRST' } },
  [`${C}.DateTimeBetween`]: {
    condition: { date: SAT, after: '2024-01-01T00:00:00Z', before: '2024-02-01T00:00:00Z' },
  },
  [`${C}.TimeBetween`]: { condition: { date: SAT, after: '09:00:00Z', before: '11:00:00Z' } },
  [`${C}.Weekend`]: { condition: { date: SAT } },
  [`${C}.PublicHoliday`]: {
    gap: 'needs holiday calendars per country (Kestra uses Jollyday); no such data ships with Baton yet',
  },
  [`${C}.Not`]: { condition: { conditions: [{ type: `${C}.ExecutionStatus`, in: ['FAILED'] }] } },
  [`${C}.Or`]: { condition: { conditions: [{ type: `${C}.ExecutionStatus`, in: ['FAILED'] }, succeeded] } },
  [`${C}.Expression`]: { condition: { expression: '{{ 1 + 1 == 2 }}' } },
  [`${C}.VariableCondition`]: { condition: { expression: '{{ 1 + 1 == 2 }}' } },
  [`${C}.MultipleCondition`]: { condition: { id: 'both', window: 'PT1H', conditions: { ok: succeeded } } },
};
