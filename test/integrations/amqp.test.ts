/**
 * AMQP triggers end to end against the real RabbitMQ (127.0.0.1:5672) through `baton server`: a message
 * published starts an execution with it in `trigger` (RealtimeTrigger), a batch starts one execution
 * with its file (Trigger); and the crash case: the server killed (SIGKILL, through the test hook
 * BATON_TEST_CRASH_BEFORE_ACK) after the execution is stored but before the ack: restarted, the broker
 * redelivers the message, which starts a second execution. Delivery is therefore AT LEAST ONCE: nothing
 * is lost, a crash in that window duplicates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { deployFlow, executionsOf, outputOf, succeeded } from './broker-helpers.ts';

const URL = 'amqp://guest:guest@127.0.0.1:5672';
const RUN = `baton.test.${process.pid}.${Date.now()}`;
const NS = 'integrations.amqp';
let broker: ChannelModel;
const queues: string[] = [];
const servers: TestServer[] = [];

const newQueue = async (name: string): Promise<string> => {
  const q = `${RUN}.${name}`;
  const ch = await broker.createChannel();
  await ch.assertQueue(q, { durable: true });
  await ch.close();
  queues.push(q);
  return q;
};
const send = async (q: string, body: unknown, headers?: Record<string, unknown>) => {
  const ch = await broker.createConfirmChannel();
  ch.sendToQueue(q, Buffer.from(JSON.stringify(body)), { headers, messageId: `m-${Date.now()}` });
  await ch.waitForConfirms();
  await ch.close();
};
const depth = async (q: string) => {
  const ch = await broker.createChannel();
  const ok = await ch.checkQueue(q);
  await ch.close();
  return ok.messageCount;
};

beforeAll(async () => {
  broker = await amqp.connect(URL);
});
afterAll(async () => {
  for (const s of servers) await s.dispose();
  const ch = await broker.createChannel();
  for (const q of queues) await ch.deleteQueue(q).catch(() => undefined);
  await broker.close();
});

const realtimeFlow = (id: string, queue: string) => `id: ${id}
namespace: ${NS}
tasks:
  - id: order
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.data.orderId }} from {{ trigger.headers.source }}"
triggers:
  - id: events
    type: io.kestra.plugin.amqp.RealtimeTrigger
    url: ${URL}
    queue: ${queue}
    serdeType: JSON
`;

describe('through a baton server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    servers.push(server);
  });

  it('RealtimeTrigger: each message starts one execution with the message in trigger, then is acked', async () => {
    const q = await newQueue('realtime');
    await deployFlow(server, realtimeFlow('orders', q));
    await send(q, { orderId: 42 }, { source: 'shop' });
    await send(q, { orderId: 43 }, { source: 'shop' });
    const list = await succeeded(server, NS, 'orders', 2);
    expect(list).toHaveLength(2);
    expect(list.map((e) => outputOf(e, 'order')).sort()).toEqual(['42 from shop', '43 from shop']);
    expect(list[0]?.trigger).toMatchObject({
      id: 'events',
      type: 'io.kestra.plugin.amqp.RealtimeTrigger',
      variables: { headers: { source: 'shop' } },
    });
    await until('the queue emptied (acked)', async () => (await depth(q)) === 0, 15_000);
  });

  it('Trigger: a poll takes a batch into a file and starts one execution with trigger.uri and count', async () => {
    const q = await newQueue('batch');
    for (const n of [1, 2, 3]) await send(q, { n });
    await deployFlow(
      server,
      `id: batch
namespace: ${NS}
tasks:
  - id: lines
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.count }}:{{ read(trigger.uri) | trim }}"
triggers:
  - id: poll
    type: io.kestra.plugin.amqp.Trigger
    url: ${URL}
    queue: ${q}
    serdeType: JSON
    maxRecords: 3
    maxDuration: PT5S
    interval: PT1S
`,
    );
    const [e] = await succeeded(server, NS, 'batch', 1);
    const value = String(outputOf(e!, 'lines'));
    expect(value.startsWith('3:')).toBe(true);
    expect(value).toContain('{data:{n:1}');
    expect(value).toContain('{data:{n:3}');
    await until('the queue emptied (acked)', async () => (await depth(q)) === 0, 15_000);
    // The batch was acknowledged, not requeued: the next execution holds only the next message (an
    // ack lost behind the connection's close once started an execution per poll for the same batch).
    await send(q, { n: 4 });
    const all = await succeeded(server, NS, 'batch', 2);
    expect(all).toHaveLength(2);
    const second = all.find((x) => x.id !== e!.id);
    expect(String(outputOf(second!, 'lines'))).toMatch(/^1:\{data:\{n:4\}/);
  }, 60_000);
});

describe('a crash after the execution is stored and before the ack', () => {
  // One data folder per test: a server left running by an earlier test on a shared folder would run
  // this test's trigger too, racing the crashing server for the batch (seen in CI: no crash, a timeout).
  const dirs: string[] = [];
  const newDataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-amqp-crash-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('redelivers the message: it is not lost (at least once: the crash window duplicates it)', async () => {
    const q = await newQueue('crash');
    const dataDir = newDataDir();
    const crashing = await startServer({ dataDir, keep: true, env: { BATON_TEST_CRASH_BEFORE_ACK: '*' } });
    servers.push(crashing);
    await deployFlow(crashing, realtimeFlow('crash', q));
    await send(q, { orderId: 7 }, { source: 'crash' });
    // The hook kills the server (SIGKILL) right after the commit, before the ack.
    await crashing.exited;
    expect(crashing.child.signalCode).toBe('SIGKILL');
    // Unacknowledged: RabbitMQ put it back in the queue when the connection dropped.
    await until('the message back in the queue', async () => (await depth(q)) === 1);

    const restarted = await startServer({ dataDir, keep: true });
    servers.push(restarted);
    const list = await succeeded(restarted, NS, 'crash', 2);
    expect(list.map((e) => outputOf(e, 'order'))).toEqual(['7 from crash', '7 from crash']);
    await until('the queue emptied (acked)', async () => (await depth(q)) === 0, 15_000);
    expect(await executionsOf(restarted, NS, 'crash')).toHaveLength(2);
  });
  it('Trigger (polling): the batch is back in the queue and taken again by the next start', async () => {
    const q = await newQueue('crash-poll');
    await send(q, { n: 1 });
    await send(q, { n: 2 });
    const type = 'io.kestra.plugin.amqp.Trigger';
    const dataDir = newDataDir();
    const crashing = await startServer({ dataDir, keep: true, env: { BATON_TEST_CRASH_BEFORE_ACK: type } });
    servers.push(crashing);
    await deployFlow(
      crashing,
      `id: crash_poll
namespace: ${NS}
tasks:
  - id: lines
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.count }}"
triggers:
  - id: poll
    type: ${type}
    url: ${URL}
    queue: ${q}
    serdeType: JSON
    maxRecords: 2
    interval: PT1S
`,
    );
    await crashing.exited;
    expect(crashing.child.signalCode).toBe('SIGKILL');
    await until('the batch back in the queue', async () => (await depth(q)) === 2);

    const restarted = await startServer({ dataDir, keep: true });
    servers.push(restarted);
    // The execution stored before the crash finishes, and the redelivered batch starts a second one.
    const list = await succeeded(restarted, NS, 'crash_poll', 2);
    expect(list.map((e) => outputOf(e, 'lines'))).toEqual(['2', '2']);
    await until('the queue emptied (acked)', async () => (await depth(q)) === 0, 15_000);
    expect(await executionsOf(restarted, NS, 'crash_poll')).toHaveLength(2);
  }, 90_000);
});
