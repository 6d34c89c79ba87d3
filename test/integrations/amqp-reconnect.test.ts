/**
 * An AMQP RealtimeTrigger whose broker connection drops, through `baton server`: the server reaches
 * RabbitMQ (127.0.0.1:5672) through a TCP proxy that the test cuts (connections destroyed, new ones
 * refused) and restores. The trigger must say it failed, start again after its backoff once the broker
 * is reachable, and go on starting one execution per message: the one published while it was cut off
 * (held by the broker) and one published after, each once.
 */
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.ts';
import { deployFlow, executionsOf, outputOf, succeeded } from './broker-helpers.ts';

const NS = 'integrations.amqp.reconnect';
const queue = `baton.test.reconnect.${process.pid}.${Date.now()}`;
let broker: ChannelModel;
let proxy: TcpProxy;
let server: TestServer;

const send = async (body: unknown) => {
  const ch = await broker.createConfirmChannel();
  ch.sendToQueue(queue, Buffer.from(JSON.stringify(body)));
  await ch.waitForConfirms();
  await ch.close();
};
const depth = async () => {
  const ch = await broker.createChannel();
  const ok = await ch.checkQueue(queue);
  await ch.close();
  return ok.messageCount;
};
const count = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

beforeAll(async () => {
  broker = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
  const ch = await broker.createChannel();
  await ch.assertQueue(queue, { durable: true });
  await ch.close();
  proxy = await startTcpProxy({ host: '127.0.0.1', port: 5672 });
  server = await startServer();
});
afterAll(async () => {
  await server?.dispose();
  await proxy?.close();
  const ch = await broker.createChannel();
  await ch.deleteQueue(queue).catch(() => undefined);
  await broker.close();
});

describe('AMQP RealtimeTrigger, broker connection cut and restored', () => {
  it('starts again after its backoff and starts one execution per message, sent during and after the cut', async () => {
    await deployFlow(
      server,
      `id: orders
namespace: ${NS}
tasks:
  - id: order
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.data.orderId }}"
triggers:
  - id: events
    type: io.kestra.plugin.amqp.RealtimeTrigger
    url: amqp://guest:guest@127.0.0.1:${proxy.port}
    queue: ${queue}
    serdeType: JSON
`,
    );
    await send({ orderId: 1 });
    await succeeded(server, NS, 'orders', 1);
    await until('the first message acked', async () => (await depth()) === 0);

    const startsBefore = count(server.output(), /realtime trigger started/);
    await proxy.cut();
    await until('the trigger to notice', () => /realtime trigger failed/.test(server.output()));
    // Published straight to the broker while the trigger cannot reach it: the broker keeps it.
    await send({ orderId: 2 });
    await until(
      'a restart attempt refused while cut off',
      () => count(server.output(), /realtime trigger failed/) >= 2,
    );
    await proxy.restore();
    await until(
      'the trigger to start again',
      () => count(server.output(), /realtime trigger started/) > startsBefore + 1,
      70_000,
    );
    await send({ orderId: 3 });
    const list = await succeeded(server, NS, 'orders', 3);
    expect(list.map((e) => outputOf(e, 'order')).sort()).toEqual(['1', '2', '3']);
    await until('every message acked', async () => (await depth()) === 0);
    // Nothing more: each message started one execution.
    expect(await executionsOf(server, NS, 'orders')).toHaveLength(3);
    const waits = [...server.output().matchAll(/"retryInMs":(\d+)/g)].map((m) => Number(m[1]));
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]!);
    console.log(`amqp-reconnect: restart waits ${waits.join('/')} ms`);
  }, 90_000);
});
