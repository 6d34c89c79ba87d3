/**
 * The integration examples run as their header comments say, against the machine's real services:
 * the nightly SQL export (PostgreSQL) with `baton run`, the RabbitMQ order-events consumer and the MQTT
 * sensor alarm through `baton server`. (file-drop-etl, git-ansible-deploy and notify-on-failure have
 * tests of their own beside their families'.)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { until } from '../helpers/schedule.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { deployFlow, executionsOf, succeeded } from './broker-helpers.ts';

const examples = new URL('../../examples/', import.meta.url).pathname;
const bin = new URL('../../bin/baton.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-examples-'));
const servers: TestServer[] = [];
afterAll(async () => {
  for (const s of servers) await s.dispose();
  rmSync(dir, { recursive: true, force: true });
});
const source = (name: string) => readFileSync(join(examples, name), 'utf8');

it('sql-nightly-export: exports the orders of the day to a CSV file', async () => {
  const data = join(dir, 'sql');
  const r = spawnSync(
    process.execPath,
    [bin, 'run', join(examples, 'sql-nightly-export.yaml'), '--json', '--data', data, '-i', 'day=2024-03-05'],
    {
      encoding: 'utf8',
      timeout: 120_000,
      // Trust authentication on this machine: any password is accepted.
      env: { ...process.env, BATON_SECRET_PG_USER: 'postgres', BATON_SECRET_PG_PASSWORD: 'unused' },
    },
  );
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const store = await openSqliteStore({ path: join(data, 'baton.db') });
  try {
    const [e] = await store.listExecutions();
    expect(e?.state.current).toBe('SUCCESS');
    expect(e?.outputs?.rows).toBe(2);
    const csv = readFileSync(
      join(data, 'storage', String(e?.outputs?.file).replace('kestra:///', '')),
      'utf8',
    );
    expect(csv).toContain('id,customer,amount,ordered_on');
    expect(csv).toMatch(/,ada,12\.5\d*,2024-03-05/);
    expect(csv).toMatch(/,grace,99(\.0+)?,2024-03-05/);
  } finally {
    await store.close();
  }
}, 150_000);

it('amqp-order-events: the setup flow publishes a sample order, which starts one execution', async () => {
  const server = await startServer({ env: { BATON_SECRET_AMQP_PASSWORD: 'guest' } });
  servers.push(server);
  await deployFlow(server, source('amqp-order-events.yaml'));
  await deployFlow(server, source('amqp-order-setup.yaml'));
  const res = await server.request('/api/v1/executions/baton.examples/order_setup?wait=true', {
    method: 'POST',
  });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { state: { current: string } }).state.current).toBe('SUCCESS');
  const list = await succeeded(server, 'baton.examples', 'order_events', 1);
  const kv = await server.request('/api/v1/namespaces/baton.examples/kv/last_order');
  expect(kv.status).toBe(200);
  expect(list.length).toBeGreaterThanOrEqual(1);
  const logs = await server.request(`/api/v1/logs/${list[0]!.id}`);
  expect(await logs.text()).toContain('(from shop)');
}, 90_000);

it('mqtt-sensor-alarm: a hot reading raises a retained alarm, a normal one only logs', async () => {
  const server = await startServer();
  servers.push(server);
  await deployFlow(server, source('mqtt-sensor-alarm.yaml'));
  await until('the sensor trigger subscribed', () => server.output().includes('MQTT trigger subscribed'));
  const room = `room-${process.pid}-${Date.now()}`;
  const client = await mqtt.connectAsync('mqtt://127.0.0.1:1883');
  try {
    await client.publishAsync(`sensors/${room}/temperature`, JSON.stringify({ celsius: 71 }), { qos: 1 });
    await client.publishAsync(`sensors/${room}/temperature`, JSON.stringify({ celsius: 20 }), { qos: 1 });
    await succeeded(server, 'baton.examples', 'sensor_alarm', 2);
    const runs = await executionsOf(server, 'baton.examples', 'sensor_alarm');
    expect(runs).toHaveLength(2);
    // The alarm is retained: a subscriber that comes later still reads it.
    const alarm = new Promise<string>((resolve) => {
      client.on('message', (_topic, payload) => resolve(payload.toString()));
    });
    await client.subscribeAsync(`alarms/sensors/${room}/temperature`, { qos: 1 });
    // Rendered from a template, the reading is text (as in Kestra).
    expect(JSON.parse(await alarm)).toEqual({ reading: '71', topic: `sensors/${room}/temperature` });
  } finally {
    await client.publishAsync(`alarms/sensors/${room}/temperature`, '', { retain: true, qos: 1 });
    await client.endAsync();
  }
}, 90_000);
