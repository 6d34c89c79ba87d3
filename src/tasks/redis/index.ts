/**
 * Redis (`io.kestra.plugin.redis`): string Set/Get/Delete, list ListPush/ListPop, pubsub Publish, and
 * the list Trigger and RealtimeTrigger. Older Kestra names (`io.kestra.plugin.redis.Set`...) are
 * aliases. `serdeType` STRING keeps values as text, JSON serialises and parses them.
 */
import { Type } from '@sinclair/typebox';
import { DEnum, DString, Duration, dyn, JsonMap, Props, StaticDuration } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const R = 'io.kestra.plugin.redis';

const url = DString({
  minLength: 1,
  description:
    "Connection string `redis://[:password@]host:port/db`; keep a password in a secret: `{{ secret('REDIS_URL') }}`.",
});
const serdeType = DEnum(['STRING', 'JSON'], {
  default: 'STRING',
  description: 'STRING: values as text; JSON: values serialised to JSON when written, parsed when read.',
});
const key = DString({ minLength: 1, description: 'The key.' });
const failedOnMissing = dyn(Type.Boolean(), {
  default: false,
  description: 'Fail when a key does not exist.',
});
const from = {
  ...Type.Unknown(),
  dynamic: true,
  description: 'A list of values, a JSON array as text, or a `kestra:///` file with one value per line.',
};
const popLimits = {
  count: dyn(Type.Integer({ minimum: 1 }), { default: 100, description: 'Elements popped per round trip.' }),
  maxRecords: dyn(Type.Integer({ minimum: 1 }), { description: 'Stop after this many elements.' }),
  maxDuration: Duration({ description: 'Stop popping after this duration.' }),
};
const inputs = JsonMap({ dynamic: true, description: 'Inputs of the executions started.' });

const def = (
  type: string,
  aliases: string[],
  title: string,
  description: string,
  example: string,
  properties: TaskDefinition['properties'],
  kind: TaskDefinition['kind'] = 'runnable',
): TaskDefinition => ({ type, aliases, kind, title, description, example, properties });

export const redisListTrigger = def(
  `${R}.list.Trigger`,
  [`${R}.TriggerList`, 'redis.list.trigger'],
  'Start an execution with the elements popped from a Redis list.',
  'Every `interval`, pops as ListPop does; when it got elements, starts one execution with ' +
    '`{{ trigger.uri }}` and `{{ trigger.count }}`. Elements are held in a processing list until the ' +
    'execution is stored: a crash in between puts them back in the list.',
  `id: jobs\ntype: io.kestra.plugin.redis.list.Trigger\nurl: redis://127.0.0.1:6379/0\nkey: jobs\ninterval: PT10S\n`,
  Props(
    {
      url,
      key,
      serdeType,
      ...popLimits,
      interval: StaticDuration({ default: 'PT60S', description: 'Time between polls.' }),
      inputs,
    },
    { required: ['url', 'key'] },
  ),
  'trigger',
);

export const redisListRealtimeTrigger = def(
  `${R}.list.RealtimeTrigger`,
  [`${R}.RealtimeTrigger`, 'redis.list.realtimetrigger'],
  'Start one execution per element pushed to a Redis list.',
  'Pops each element from the head of the list as it comes (blocking) and starts an execution with ' +
    '`{{ trigger.value }}`. An element is held in a processing list until its execution is stored: a ' +
    'crash in between puts it back in the list.',
  `id: each_job\ntype: io.kestra.plugin.redis.list.RealtimeTrigger\nurl: redis://127.0.0.1:6379/0\nkey: jobs\n`,
  Props({ url, key, serdeType, inputs }, { required: ['url', 'key'] }),
  'trigger',
);

export const redisDefinitions: TaskDefinition[] = [
  def(
    `${R}.string.Set`,
    [`${R}.Set`, 'redis.set'],
    'Set the value of a Redis key.',
    'SET with `options` (`mustExist`, `mustNotExist`, `expirationDuration`, `expirationDate`, `keepTtl`). ' +
      'With `get: true`, output `oldValue` is the value replaced.',
    `id: set\ntype: io.kestra.plugin.redis.string.Set\nurl: redis://127.0.0.1:6379/0\nkey: greeting\nvalue: hello\n`,
    Props(
      {
        url,
        key,
        value: { ...Type.Unknown(), dynamic: true, description: 'The value (any JSON value with JSON).' },
        serdeType,
        get: dyn(Type.Boolean(), { default: false, description: 'Output the value replaced (`oldValue`).' }),
        options: Props(
          {
            expirationDate: DString({ description: 'Expire at this ISO-8601 date-time.' }),
            expirationDuration: Duration({ description: 'Expire after this duration.' }),
            keepTtl: dyn(Type.Boolean(), {
              default: false,
              description: 'Keep the time to live of the key.',
            }),
            mustExist: dyn(Type.Boolean(), { default: false, description: 'Set only if the key exists.' }),
            mustNotExist: dyn(Type.Boolean(), { default: false, description: 'Set only if it does not.' }),
          },
          { description: 'How to set: only if the key exists or not, and when it expires.' },
        ),
      },
      { required: ['url', 'key', 'value'] },
    ),
  ),
  def(
    `${R}.string.Get`,
    [`${R}.Get`, 'redis.get'],
    'Get the value of a Redis key.',
    'Outputs `data` (the value, parsed with JSON; null when the key does not exist) and `key`.',
    `id: get\ntype: io.kestra.plugin.redis.string.Get\nurl: redis://127.0.0.1:6379/0\nkey: greeting\n`,
    Props({ url, key, serdeType, failedOnMissing }, { required: ['url', 'key'] }),
  ),
  def(
    `${R}.string.Delete`,
    [`${R}.Delete`, 'redis.delete'],
    'Delete Redis keys.',
    'Deletes `keys`. Output: `count`, how many existed.',
    `id: delete\ntype: io.kestra.plugin.redis.string.Delete\nurl: redis://127.0.0.1:6379/0\nkeys: [greeting]\n`,
    Props(
      { url, keys: dyn(Type.Array(Type.String()), { description: 'Keys to delete.' }), failedOnMissing },
      { required: ['url', 'keys'] },
    ),
  ),
  def(
    `${R}.list.ListPush`,
    [`${R}.ListPush`, 'redis.listpush'],
    'Push values to the head of a Redis list.',
    'LPUSH each value of `from`. Output: `count`.',
    `id: push\ntype: io.kestra.plugin.redis.list.ListPush\nurl: redis://127.0.0.1:6379/0\nkey: jobs\nfrom: [a, b]\n`,
    Props({ url, key, from, serdeType }, { required: ['url', 'key', 'from'] }),
  ),
  def(
    `${R}.list.ListPop`,
    [`${R}.ListPop`, 'redis.listpop'],
    'Pop values from the head of a Redis list into a file.',
    'LPOP by `count` until the list is empty, `maxRecords` or `maxDuration`. Outputs: `uri` (one JSON ' +
      'value per line) and `count`.',
    `id: pop\ntype: io.kestra.plugin.redis.list.ListPop\nurl: redis://127.0.0.1:6379/0\nkey: jobs\nmaxRecords: 10\n`,
    Props({ url, key, serdeType, ...popLimits }, { required: ['url', 'key'] }),
  ),
  def(
    `${R}.pubsub.Publish`,
    [`${R}.Publish`, 'redis.publish'],
    'Publish values to a Redis channel.',
    'PUBLISH each value of `from` to `channel`. Output: `count`.',
    `id: publish\ntype: io.kestra.plugin.redis.pubsub.Publish\nurl: redis://127.0.0.1:6379/0\nchannel: news\nfrom: [hello]\n`,
    Props(
      { url, channel: DString({ minLength: 1, description: 'The channel.' }), from, serdeType },
      { required: ['url', 'channel', 'from'] },
    ),
  ),
  redisListTrigger,
  redisListRealtimeTrigger,
];
