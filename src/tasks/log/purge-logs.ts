import { Type } from '@sinclair/typebox';
import { DString, dyn, LOG_LEVELS, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const purgeLogs: TaskDefinition = {
  type: 'io.kestra.plugin.core.log.PurgeLogs',
  aliases: ['purgelogs'],
  kind: 'runnable',
  title: 'Delete old logs.',
  description:
    'Deletes the log lines written between `startDate` (if given) and `endDate`, both included, ' +
    'optionally only those of one namespace, flow, execution or set of levels: every criterion given ' +
    'must hold. Outputs: `count` of deleted lines (`executionLogsCount`, `nonExecutionLogsCount`).',
  example: `id: purge
type: io.kestra.plugin.core.log.PurgeLogs
endDate: "{{ now() | dateAdd(-30, 'DAYS') }}"
`,
  properties: Props(
    {
      namespace: DString({
        description: 'Only purge the logs of this namespace (exactly, not its sub-namespaces).',
      }),
      flowId: DString({ description: 'Only purge the logs of this flow (needs `namespace`).' }),
      logLevels: Type.Array(StringEnum(LOG_LEVELS), { description: 'Only purge the logs of these levels.' }),
      startDate: DString({ description: 'Purge logs written at or after this ISO-8601 date-time.' }),
      endDate: DString({ description: 'Purge logs written at or before this ISO-8601 date-time.' }),
      executionId: DString({ description: 'Only purge the logs of this execution.' }),
      purgeExecutionLogs: dyn(Type.Boolean(), {
        default: true,
        description: 'Purge the logs of executions (Kestra 1.x).',
      }),
      purgeNonExecutionLogs: dyn(Type.Boolean(), {
        default: true,
        description: 'Purge the logs of no execution, e.g. of triggers (Kestra 1.x; Baton has none).',
      }),
      batchSize: dyn(Type.Integer({ minimum: 1 }), {
        description: 'Rows deleted per batch on MySQL (Kestra 1.x); Baton deletes in one transaction.',
      }),
      tenantId: dyn(Type.String(), { description: 'Tenant (multi-tenant installations).' }),
    },
    { required: ['endDate'] },
  ),
};
