/** Key-value store tasks: values kept per namespace across executions. */
import { Type } from '@sinclair/typebox';
import { DString, Duration, dyn, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { purgeKv } from './purge-kv.ts';
import { kvPut } from './put.ts';

const namespace = DString({ description: 'Namespace of the key; the flow namespace by default.' });
const key = DString({ minLength: 1, description: 'The key.' });
const errorOnMissing = dyn(Type.Boolean(), {
  default: false,
  description: 'Fail when the key does not exist.',
});

export const kvSet: TaskDefinition = {
  type: 'io.kestra.plugin.core.kv.Set',
  aliases: ['kv.set'],
  kind: 'runnable',
  title: 'Store a value in the key-value store.',
  description:
    'Stores `value` (rendered; any JSON value) under `key` in the namespace. `kvType` converts and checks ' +
    'the value, `ttl` makes it expire, `overwrite: false` fails when the key exists. Read it back with ' +
    "`{{ kv('key') }}` or the `kv.Get` task.",
  example: `id: remember
type: io.kestra.plugin.core.kv.Set
key: last_run
value: "{{ execution.startDate }}"
kvType: DATETIME
ttl: P30D
`,
  properties: Props(
    {
      key,
      value: { ...Type.Unknown(), dynamic: true, description: 'The value; strings are rendered.' },
      namespace,
      overwrite: dyn(Type.Boolean(), { default: true, description: 'Replace an existing value.' }),
      ttl: Duration({ description: 'Delete the value after this duration.' }),
      kvType: dyn(StringEnum(['STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'DATE', 'DURATION', 'JSON']), {
        description: 'Type the value is converted to and checked against; kept as given when absent.',
      }),
    },
    { required: ['key', 'value'] },
  ),
};

export const kvGet: TaskDefinition = {
  type: 'io.kestra.plugin.core.kv.Get',
  aliases: ['kv.get'],
  kind: 'runnable',
  title: 'Read a value from the key-value store.',
  description: 'Reads `key` in the namespace. Output: `value` (absent when the key does not exist).',
  example: `id: recall
type: io.kestra.plugin.core.kv.Get
key: last_run
`,
  properties: Props({ key, namespace, errorOnMissing }, { required: ['key'] }),
};

export const kvGetKeys: TaskDefinition = {
  type: 'io.kestra.plugin.core.kv.GetKeys',
  aliases: ['kv.getkeys'],
  kind: 'runnable',
  title: 'List the keys of the key-value store.',
  description:
    'Lists the keys of the namespace, optionally only those starting with `prefix`. Output: `keys`.',
  example: `id: keys
type: io.kestra.plugin.core.kv.GetKeys
prefix: last_
`,
  properties: Props({ prefix: DString({ description: 'Only list keys starting with this.' }), namespace }),
};

export const kvDelete: TaskDefinition = {
  type: 'io.kestra.plugin.core.kv.Delete',
  aliases: ['kv.delete'],
  kind: 'runnable',
  title: 'Delete a value from the key-value store.',
  description: 'Deletes `key` in the namespace. Output: `deleted` (whether it existed).',
  example: `id: forget
type: io.kestra.plugin.core.kv.Delete
key: last_run
`,
  properties: Props({ key, namespace, errorOnMissing }, { required: ['key'] }),
};

export const kvDefinitions: TaskDefinition[] = [kvSet, kvPut, kvGet, kvGetKeys, kvDelete, purgeKv];
