/**
 * A claim whose answer is lost on the way back (the connection fails after the server did the work),
 * through a TCP proxy in front of PostgreSQL that drops the server's replies, then is cut: the server
 * committed the claim, its owner never saw the rows. They must not stay locked until the lease runs out
 * (30 s without progress in Baton): the owner's next claim releases them first, and takes them.
 */
import { afterAll, expect, it } from 'vitest';
import { storeFailureOf } from '../../src/store/errors.ts';
import { openPgStore } from '../../src/store/postgres/index.ts';
import { withStoreRetry } from '../../src/store/retry.ts';
import { until } from '../helpers/schedule.ts';
import { startTcpProxy } from '../helpers/tcp-proxy.ts';
import { dropSchemas, PG_URL, schemaName, sql } from './pg-helpers.ts';

afterAll(() => dropSchemas());

it('a claim whose answer was lost: its rows are released before its owner claims again, and handed out', async () => {
  const schema = schemaName();
  const writer = await openPgStore({ url: PG_URL, schema });
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: 5432 });
  const claimer = await openPgStore({ url: `postgres://postgres@127.0.0.1:${proxy.port}/test`, schema });
  try {
    await writer.enqueue([{ queue: 'worker', executionId: 'e1', payload: 'job' }]);
    expect(await claimer.countQueue('worker')).toBe(1);
    proxy.dropReplies();
    const lost = claimer.claim('worker', 'w1', 5, 60_000).then(
      () => 'answered',
      (error: unknown) => error,
    );
    await until(
      'the server to commit the claim',
      async () =>
        (await sql(`SELECT count(*)::int AS n FROM "${schema}".queue WHERE locked_by = 'w1'`)).rows[0].n ===
        1,
    );
    await proxy.cut();
    expect(storeFailureOf(await lost)?.kind).toBe('unreachable');
    await proxy.restore();
    // Another owner cannot take it (its lease holds); its owner's next claim gets it, as a first attempt.
    expect(await writer.claim('worker', 'w2', 5, 60_000)).toEqual([]);
    const again = await withStoreRetry(() => claimer.claim('worker', 'w1', 5, 60_000));
    expect(again).toMatchObject([{ executionId: 'e1', payload: 'job', attempts: 1 }]);
  } finally {
    await claimer.close();
    await writer.close();
    await proxy.close();
  }
});
