/**
 * every-type rows of the NATS and Redis tasks, run against the real NATS with JetStream
 * (127.0.0.1:4222) and Redis (127.0.0.1:6379); see test/integrations/ for the full tests of these families.
 */
import { Redis } from 'ioredis';
import { connect as natsConnect } from 'nats';
import { expectEq } from './every-type.expect.ts';
import type { TaskRow } from './every-type.table.ts';

/** Real services of the machine (see test/integrations/ for the full tests of these families). */
const NATS_URL = 'nats://127.0.0.1:4222';
const REDIS_URL = 'redis://127.0.0.1:6379/0';
const natsSubject = (ns: string) => `baton.every.${ns.replaceAll('.', '_')}`;
/** A stream of its own per run, holding one message; deleted by the row's check. */
const natsStream = async (subject: string, op: 'create' | 'delete') => {
  const nc = await natsConnect({ servers: NATS_URL });
  const jsm = await nc.jetstreamManager();
  const name = subject.replaceAll('.', '_').toUpperCase();
  if (op === 'create') {
    await jsm.streams.add({ name, subjects: [subject] });
    await nc.jetstream().publish(subject, 'hello');
  } else await jsm.streams.delete(name);
  await nc.close();
};
const redisDel = async (...keys: string[]) => {
  const r = new Redis(REDIS_URL);
  await r.del(...keys);
  r.disconnect();
};
const subjectInput = { inputs: [{ id: 'subject', type: 'STRING' }] };

export const natsRedisRows: Record<string, TaskRow> = {
  'io.kestra.plugin.nats.Produce': {
    props: (c) => ({ url: NATS_URL, subject: natsSubject(c.ns), from: { data: 'hi', headers: { a: 'b' } } }),
    check: (_e, o) => expectEq(o.messagesCount, 1, 'messagesCount'),
  },
  'io.kestra.plugin.nats.Consume': {
    flow: subjectInput,
    setup: async (c) => {
      const subject = `${natsSubject(c.ns)}.${Date.now()}`;
      await natsStream(subject, 'create');
      return { subject };
    },
    props: { url: NATS_URL, subject: '{{ inputs.subject }}', pollDuration: 'PT1S' },
    check: async (e, o) => {
      await natsStream(String(e.inputs?.subject), 'delete');
      expectEq(o.messagesCount, 1, 'messagesCount');
    },
  },
  'io.kestra.plugin.redis.string.Set': {
    props: (c) => ({
      url: REDIS_URL,
      key: `baton:every:${c.ns}:set`,
      value: 'v',
      options: { expirationDuration: 'PT1M' },
    }),
  },
  'io.kestra.plugin.redis.string.Get': {
    before: [
      {
        id: 's',
        type: 'io.kestra.plugin.redis.string.Set',
        url: REDIS_URL,
        key: 'baton:every:{{ flow.namespace }}:get',
        value: 'v',
        options: { expirationDuration: 'PT1M' },
      },
    ],
    props: (c) => ({ url: REDIS_URL, key: `baton:every:${c.ns}:get` }),
    check: (_e, o) => expectEq(o.data, 'v', 'data'),
  },
  'io.kestra.plugin.redis.string.Delete': {
    before: [
      {
        id: 's',
        type: 'io.kestra.plugin.redis.string.Set',
        url: REDIS_URL,
        key: 'baton:every:{{ flow.namespace }}:del',
        value: 'v',
      },
    ],
    props: (c) => ({ url: REDIS_URL, keys: [`baton:every:${c.ns}:del`] }),
    check: (_e, o) => expectEq(o.count, 1, 'count'),
  },
  'io.kestra.plugin.redis.list.ListPush': {
    props: (c) => ({ url: REDIS_URL, key: `baton:every:${c.ns}:push`, from: ['a', 'b'] }),
    check: async (_e, o, c) => {
      await redisDel(`baton:every:${c.ns}:push`);
      expectEq(o.count, 2, 'count');
    },
  },
  'io.kestra.plugin.redis.list.ListPop': {
    before: [
      {
        id: 'p',
        type: 'io.kestra.plugin.redis.list.ListPush',
        url: REDIS_URL,
        key: 'baton:every:{{ flow.namespace }}:pop',
        from: ['a'],
      },
    ],
    props: (c) => ({ url: REDIS_URL, key: `baton:every:${c.ns}:pop` }),
    check: (_e, o) => expectEq(o.count, 1, 'count'),
  },
  'io.kestra.plugin.redis.pubsub.Publish': {
    props: (c) => ({ url: REDIS_URL, channel: `baton:every:${c.ns}`, from: ['hello'] }),
    check: (_e, o) => expectEq(o.count, 1, 'count'),
  },
};
