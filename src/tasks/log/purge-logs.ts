import { Type } from '@sinclair/typebox';
import { DString, dyn, LOG_LEVELS, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const purgeLogs: TaskDefinition = {
  type: 'io.kestra.plugin.core.log.PurgeLogs',
  aliases: ['purgelogs'],
  kind: 'runnable',
  title: 'Delete old logs.',
  description:
    'Deletes the log lines written before `endDate` (and after `startDate` if given), optionally only ' +
    'those of one namespace, flow or set of levels. Output: `count` of deleted lines.',
  example: `id: purge
type: io.kestra.plugin.core.log.PurgeLogs
endDate: "{{ now() | dateAdd(-30, 'DAYS') }}"
`,
  properties: Props(
    {
      namespace: DString({ description: 'Only purge the logs of this namespace (and its sub-namespaces).' }),
      flowId: DString({ description: 'Only purge the logs of this flow (needs `namespace`).' }),
      logLevels: Type.Array(StringEnum(LOG_LEVELS), { description: 'Only purge the logs of these levels.' }),
      startDate: DString({ description: 'Purge logs written after this ISO-8601 date-time.' }),
      endDate: DString({ description: 'Purge logs written before this ISO-8601 date-time.' }),
      executionId: DString({ description: 'Only purge the logs of this execution.' }),
      tenantId: dyn(Type.String(), { description: 'Tenant (multi-tenant installations).' }),
    },
    { required: ['endDate'] },
  ),
};
