/**
 * Broker connections are pooled per worker process, as SQL ones are (test/jdbc/sql-pools.test.ts): the
 * AMQP, Redis and NATS tasks of a run share one connection per broker, against the real RabbitMQ, Redis
 * and NATS, and the worker's stop closes them all.
 */
import { expect, it } from 'vitest';
import { amqpConnections } from '../../src/tasks/amqp/connection.ts';
import { natsConnections } from '../../src/tasks/nats/client.ts';
import { redisConnections } from '../../src/tasks/redis/client.ts';
import { startEngine } from '../helpers/engine.ts';

const AMQP = 'amqp://guest:guest@127.0.0.1:5672';
const REDIS = 'redis://127.0.0.1:6379/0';
const NATS = 'nats://127.0.0.1:4222';

it('shares one connection per broker across the tasks of a worker, and closes them when it stops', async () => {
  const run = `baton-pools-${process.pid}-${Date.now()}`;
  const engine = await startEngine();
  try {
    await engine.deploy(`id: pooled
namespace: brokers.pools
tasks:
  - id: queue
    type: io.kestra.plugin.amqp.DeclareQueue
    url: ${AMQP}
    name: ${run}
    autoDelete: false
    args:
      x-expires: 60000
  - id: publish_1
    type: io.kestra.plugin.amqp.Publish
    url: ${AMQP}
    exchange: ""
    routingKey: ${run}
    from: one
  - id: publish_2
    type: io.kestra.plugin.amqp.Publish
    url: ${AMQP}
    exchange: ""
    routingKey: ${run}
    from: two
  - id: consume
    type: io.kestra.plugin.amqp.Consume
    url: ${AMQP}
    queue: ${run}
    maxRecords: 2
  - id: set
    type: io.kestra.plugin.redis.string.Set
    url: ${REDIS}
    key: ${run}
    value: v
    options:
      expirationDuration: PT1M
  - id: get
    type: io.kestra.plugin.redis.string.Get
    url: ${REDIS}
    key: ${run}
  - id: produce_1
    type: io.kestra.plugin.nats.Produce
    url: ${NATS}
    subject: ${run}.a
    from: { data: one }
  - id: produce_2
    type: io.kestra.plugin.nats.Produce
    url: ${NATS}
    subject: ${run}.b
    from: { data: two }
`);
    const e = await engine.run('brokers.pools', 'pooled');
    expect(e.state.current).toBe('SUCCESS');
    expect(e.taskRuns.find((t) => t.taskId === 'consume')?.outputs?.count).toBe(2);
    expect(e.taskRuns.find((t) => t.taskId === 'get')?.outputs?.data).toBe('v');
    expect([amqpConnections.size(), redisConnections.size(), natsConnections.size()]).toEqual([1, 1, 1]);
    await engine.close();
    expect([amqpConnections.size(), redisConnections.size(), natsConnections.size()]).toEqual([0, 0, 0]);
  } finally {
    await engine.dispose().catch(() => undefined);
  }
});
