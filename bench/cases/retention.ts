/**
 * Retention keeps the database size flat: many one-task executions (each with a log line) run in waves
 * while the retention purger (src/runtime/retention.ts, the server's own) deletes those ended more than
 * RETENTION_MS ago. The database size is sampled every SAMPLE_EVERY executions (SQLite: the file plus
 * its WAL; PostgreSQL: pg_total_relation_size of the schema's tables, indexes and TOAST included), and
 * the ratio of the last sample to the first after the warm-up says whether it stays flat (~1).
 *
 * SQLite never gives freed pages back to the file system: they are reused, so "flat" means the file
 * stops growing once the backlog (executions younger than the retention age) is in it.
 *
 * Counts: BENCH_RETENTION_COUNT (SQLite, default 100,000) and BENCH_RETENTION_PG_COUNT (PostgreSQL,
 * default 20,000: the engine runs about a third as fast there, and the case must end within the
 * runner's ten minutes). BENCH_RETENTION_BACKENDS=sqlite or postgres runs only one.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { isTerminal } from '../../src/execution/types.ts';
import { RetentionPurger, type RoundResult } from '../../src/runtime/retention.ts';
import { parseRetention } from '../../src/runtime/retention-rules.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { BACKENDS, type Backend, PG_URL, withBackend } from './backends.ts';
import { deploy, mb, report, withEngine } from './common.ts';

const COUNTS: Record<Backend, number> = {
  sqlite: Number(process.env.BENCH_RETENTION_COUNT ?? 100_000),
  postgres: Number(process.env.BENCH_RETENTION_PG_COUNT ?? 20_000),
};
/** Executions kept: those ended in the last two seconds (about two thousand at full speed). */
const RETENTION = '2s';
/** A purge round every half second: the backlog stays a few seconds' worth of executions. */
const INTERVAL_MS = 500;
/** Executions created at once, then awaited: enough to keep the worker and the executor busy. */
const WAVE = 200;
/** Samples: twenty over the run; the first tenth of the run is the warm-up (the backlog filling). */
const SAMPLES = 20;

const source = `id: one
namespace: bench.retention
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "execution {{ execution.id }} says hello"
`;

const sqliteBytes = (dataDir: string) => () => {
  const size = (f: string) => {
    try {
      return statSync(join(dataDir, f)).size;
    } catch {
      return 0;
    }
  };
  const db = size('baton.db');
  const wal = size('baton.db-wal');
  console.error(`  file ${(db / 1048576).toFixed(1)} MB + WAL ${(wal / 1048576).toFixed(1)} MB`);
  return Promise.resolve(db + wal);
};

/**
 * PostgreSQL reuses the space of deleted rows once they are vacuumed. Where autovacuum is off (this
 * machine's test server), each sample first vacuums the schema's tables as autovacuum would have.
 */
const pgBytes = (client: pg.Client, schema: string, vacuum: boolean) => async () => {
  if (vacuum) {
    const tables = await client.query<{ name: string }>(
      `SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
      [schema],
    );
    for (const t of tables.rows) await client.query(`VACUUM ${t.name}`);
  }
  const r = await client.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = $1 AND c.relkind = 'r'`,
    [schema],
  );
  return Number(r.rows[0]?.bytes ?? 0);
};

const one = (backend: Backend) =>
  withBackend(backend, (database) =>
    withEngine(async (engine, dataDir) => {
      const count = COUNTS[backend];
      const every = Math.max(WAVE, Math.round(count / SAMPLES / WAVE) * WAVE);
      const schema = database ? new URL(database).searchParams.get('schema') : null;
      const client = schema ? new pg.Client({ connectionString: PG_URL }) : undefined;
      await client?.connect();
      const autovacuum =
        client && (await client.query<{ autovacuum: string }>('SHOW autovacuum')).rows[0]?.autovacuum;
      const vacuum = autovacuum === 'off';
      const bytes = client && schema ? pgBytes(client, schema, vacuum) : sqliteBytes(dataDir);
      const totals = { executions: 0 };
      const purger = new RetentionPurger({
        store: engine.store,
        deleteFiles: (ref) => engine.storage.deleteExecutionFiles(ref),
        config: parseRetention({ retention: RETENTION }),
        intervalMs: INTERVAL_MS,
        log: {
          info: (r) => {
            totals.executions += (r as RoundResult).executions;
            if (process.env.DEBUG_RET)
              console.error(
                'round',
                new Date().toISOString(),
                (r as RoundResult).executions,
                (r as RoundResult).ms,
              );
          },
          warn: (o, m) => console.error(m, o),
        },
      });
      const flow = await deploy(engine, source);
      // One listener per execution of a wave awaited at once: not a leak.
      engine.executor.setMaxListeners(WAVE + 10);
      purger.start();
      const samples: { done: number; bytes: number; stored: number }[] = [];
      const start = performance.now();
      let done = 0;
      try {
        while (done < count) {
          // Each wait starts as its execution is created: one that ended and was purged before its
          // wait began would be waited for forever.
          const wave = [];
          for (let i = 0; i < WAVE && done + i < count; i++) {
            const e = await engine.executor.createExecution({ flow, revision: flow.revision ?? 1 });
            wave.push(waitForExecution(engine.executor, e.id, (x) => isTerminal(x.state.current)));
          }
          await Promise.all(wave);
          done += wave.length;
          if (done % every === 0 || done === count) {
            const sample = { done, bytes: await bytes(), stored: await engine.store.countExecutions() };
            samples.push(sample);
            console.error(
              `${backend} ${done} executions: ${(sample.bytes / 1048576).toFixed(1)} MB, ${sample.stored} stored`,
            );
          }
        }
      } finally {
        await purger.stop();
        await client?.end();
      }
      const seconds = (performance.now() - start) / 1000;
      const warm = samples.find((s) => s.done >= count / 10) ?? samples[0]!;
      const last = samples.at(-1)!;
      const ratio = last.bytes / warm.bytes;
      report(
        `retention: database size over ${count} executions [${backend}]`,
        {
          executions: count,
          wallS: seconds.toFixed(0),
          executionsPerS: Math.round(count / seconds),
          purged: totals.executions,
          storedAtEnd: last.stored,
          [`mbAt${warm.done}`]: (warm.bytes / 1048576).toFixed(1),
          mbAtEnd: (last.bytes / 1048576).toFixed(1),
          peakMb: mb(Math.max(...samples.map((s) => s.bytes))),
          samplesMb: samples.map((s) => (s.bytes / 1048576).toFixed(1)).join(','),
          ...(backend === 'postgres'
            ? {
                note: `20,000 by default on PostgreSQL (BENCH_RETENTION_PG_COUNT)${vacuum ? '; autovacuum is off on this server: VACUUM at each sample' : ''}`,
              }
            : {}),
          ratio: ratio.toFixed(2),
        },
        'size flat after the warm-up: ratio last/first ~1',
        ratio < 1.2,
      );
    }, database),
  );

const only = process.env.BENCH_RETENTION_BACKENDS;
for (const backend of BACKENDS.filter((b) => !only || only.split(',').includes(b))) await one(backend);
