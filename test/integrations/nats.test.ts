/**
 * NATS JetStream against the real server on 127.0.0.1:4222, through `baton server`: Produce and
 * Consume, the polling Trigger and the RealtimeTrigger (publish → execution with the message), and a
 * consumer killed right before its acknowledgment (the BATON_TEST_CRASH_BEFORE_ACK hook: the server
 * SIGKILLs itself once the execution is stored, before acking) redelivers on restart. Each test uses its
 * own stream and subjects, deleted at the end.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AckPolicy, connect, headers, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow, unique, waitExecutions } from '../helpers/integrations.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const URL = 'nats://127.0.0.1:4222';
const id = unique('t');
const STREAM = `BATON_${id}`;
const ROOT = `baton.${id}`;
const NS = `nats.${id}`;
let nc: NatsConnection;
const servers: TestServer[] = [];

beforeAll(async () => {
  nc = await connect({ servers: URL });
  const jsm = await nc.jetstreamManager();
  await jsm.streams.add({ name: STREAM, subjects: [`${ROOT}.>`] });
});
afterAll(async () => {
  for (const s of servers) await s.dispose();
  const jsm = await nc.jetstreamManager();
  await jsm.streams.delete(STREAM).catch(() => undefined);
  await nc.close();
});

const publish = async (subject: string, data: string, hdr?: Record<string, string>) => {
  const h = headers();
  for (const [k, v] of Object.entries(hdr ?? {})) h.append(k, v);
  await nc.jetstream().publish(subject, data, hdr ? { headers: h } : undefined);
};

const pendingAcks = async (durable: string) =>
  (await (await nc.jetstreamManager()).consumers.info(STREAM, durable)).num_ack_pending;

describe('NATS tasks and triggers through baton server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
    servers.push(server);
  });

  it('Produce publishes messages with headers; Consume reads them into a file and counts them', async () => {
    await deployFlow(
      server,
      `id: roundtrip
namespace: ${NS}
tasks:
  - id: produce
    type: io.kestra.plugin.nats.Produce
    url: ${URL}
    subject: ${ROOT}.rt
    from:
      - headers: { source: baton }
        data: first
      - data: second
  - id: consume
    type: io.kestra.plugin.nats.core.Consume
    url: ${URL}
    subject: ${ROOT}.rt
    durableId: rt_${id}
    pollDuration: PT1S
  - id: content
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read(outputs.consume.uri) }}"
`,
    );
    const res = await server.request(`/api/v1/executions/${NS}/roundtrip?wait=true`, { method: 'POST' });
    const e = (await res.json()) as {
      state: { current: string };
      taskRunList: { taskId: string; outputs: Record<string, unknown> }[];
    };
    expect(e.state.current).toBe('SUCCESS');
    const out = (t: string) => e.taskRunList.find((r) => r.taskId === t)!.outputs;
    expect(out('produce').messagesCount).toBe(2);
    expect(out('consume').messagesCount).toBe(2);
    const lines = String(out('content').value)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((m) => m.data)).toEqual(['first', 'second']);
    expect(lines[0].headers).toEqual({ source: ['baton'] });
    expect(lines[0].subject).toBe(`${ROOT}.rt`);
    expect(await pendingAcks(`rt_${id}`)).toBe(0);
  });

  it('RealtimeTrigger starts one execution per message with its subject, data and headers', async () => {
    await deployFlow(
      server,
      `id: realtime
namespace: ${NS}
tasks:
  - id: log
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.data }}"
triggers:
  - id: watch
    type: io.kestra.plugin.nats.RealtimeTrigger
    url: ${URL}
    subject: ${ROOT}.rtt.>
    durableId: rtt_${id}
`,
    );
    await publish(`${ROOT}.rtt.a`, 'hello', { kind: 'greeting' });
    await publish(`${ROOT}.rtt.b`, 'world');
    const found = await waitExecutions(server, NS, 'realtime', 2);
    const vars = found
      .map((e) => e.trigger!.variables)
      .sort((a, b) => String(a.data).localeCompare(String(b.data)));
    expect(vars.map((v) => [v.subject, v.data])).toEqual([
      [`${ROOT}.rtt.a`, 'hello'],
      [`${ROOT}.rtt.b`, 'world'],
    ]);
    expect(vars[0]!.headers).toEqual({ kind: ['greeting'] });
    expect(typeof vars[0]!.timestamp).toBe('string');
  });

  it('Trigger polls and starts one execution with the file of the messages it found', async () => {
    await publish(`${ROOT}.poll`, 'one');
    await publish(`${ROOT}.poll`, 'two');
    await deployFlow(
      server,
      `id: polled
namespace: ${NS}
tasks:
  - id: content
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.messagesCount }}:{{ read(trigger.uri) | trim }}"
triggers:
  - id: watch
    type: io.kestra.plugin.nats.Trigger
    url: ${URL}
    subject: ${ROOT}.poll
    durableId: poll_${id}
    interval: PT1S
    pollDuration: PT1S
`,
    );
    const [e] = await waitExecutions(server, NS, 'polled', 1);
    expect(e!.trigger!.variables.messagesCount).toBe(2);
    expect(await pendingAcks(`poll_${id}`)).toBe(0);
  });
});

describe('a NATS trigger killed before its acknowledgment redelivers on restart', () => {
  for (const [type, flowId] of [
    ['io.kestra.plugin.nats.RealtimeTrigger', 'crash_rt'],
    ['io.kestra.plugin.nats.Trigger', 'crash_poll'],
  ] as const) {
    it(type, async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'baton-nats-crash-'));
      try {
        const subject = `${ROOT}.${flowId}`;
        const durable = `${flowId}_${id}`;
        // Made beforehand with a short ack wait (the trigger reuses an existing durable consumer): the
        // unacknowledged message is redelivered 3 s after the crash instead of JetStream's default 30 s.
        await (await nc.jetstreamManager()).consumers.add(STREAM, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          filter_subject: subject,
          ack_wait: 3_000_000_000,
        });
        const first = await startServer({ dataDir, env: { BATON_TEST_CRASH_BEFORE_ACK: type } });
        servers.push(first);
        await deployFlow(
          first,
          `id: ${flowId}
namespace: ${NS}
tasks:
  - id: echo
    type: io.kestra.plugin.core.debug.Return
    format: "{{ trigger.data ?? trigger.messagesCount }}"
triggers:
  - id: watch
    type: ${type}
    url: ${URL}
    subject: ${subject}
    durableId: ${durable}
${type.endsWith('RealtimeTrigger') ? '' : '    interval: PT1S\n    pollDuration: PT1S\n'}`,
        );
        await publish(subject, 'precious');
        // The hook kills the server once the execution is stored, before the ack.
        await first.exited;
        expect(first.child.signalCode).toBe('SIGKILL');
        expect(await pendingAcks(durable)).toBe(1);

        const second = await startServer({ dataDir });
        servers.push(second);
        // The execution stored before the crash, and the one of the redelivered message.
        const found = await waitExecutions(second, NS, flowId, 2);
        expect(found).toHaveLength(2);
        for (const e of found)
          expect(e.trigger!.variables.data ?? e.trigger!.variables.messagesCount).toBe(
            type.endsWith('RealtimeTrigger') ? 'precious' : 1,
          );
        expect(await pendingAcks(durable)).toBe(0);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});
