/**
 * A real embedded engine (SQLite file, local storage, executor and worker) in a temp folder, for tests.
 * With BATON_TEST_DATABASE_URL=postgres://... the engines run on PostgreSQL instead, each in a schema of
 * its own dropped at dispose: any engine test file then checks the PostgreSQL store too.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Execution, isTerminal } from '../../src/execution/types.ts';
import { loadFlowSource } from '../../src/flow/index.ts';
import { type Embedded, openEmbedded } from '../../src/runtime/embedded.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';

export interface TestEngine extends Embedded {
  dataDir: string;
  /** The PostgreSQL URL of the engine (BATON_TEST_DATABASE_URL), for a test that opens it again. */
  database?: string;
  /** Saves a flow source; returns the parsed flow with its revision. */
  deploy(source: string, file?: string): Promise<{ namespace: string; id: string; revision: number }>;
  /** Creates an execution of a deployed flow and waits until `until` holds (default: terminal). */
  run(
    namespace: string,
    flowId: string,
    inputs?: Record<string, unknown>,
    opts?: { labels?: { key: string; value: string }[]; until?: (e: Execution) => boolean },
  ): Promise<Execution>;
  waitFor(id: string, until?: (e: Execution) => boolean): Promise<Execution>;
  dispose(): Promise<void>;
}

/**
 * The encryption key of test engines (each engine holds its own key; a test that reopens a data folder
 * gives the same one again).
 */
export const TEST_KEY = Buffer.alloc(32, 7);

export const startEngine = async (): Promise<TestEngine> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-test-'));
  const pgUrl = process.env.BATON_TEST_DATABASE_URL;
  const schema = pgUrl ? `baton_test_${randomBytes(6).toString('hex')}` : undefined;
  const database = pgUrl ? `${pgUrl}${pgUrl.includes('?') ? '&' : '?'}schema=${schema}` : undefined;
  const engine = await openEmbedded({ dataDir, database, encryptionKey: TEST_KEY });
  const flows = new Map<string, number>();
  const te: TestEngine = {
    ...engine,
    dataDir,
    database,
    async deploy(source, file = 'flow.yaml') {
      const { flow, errors } = loadFlowSource(source, file);
      if (!flow || errors.length)
        throw new Error(`invalid flow ${file}: ${errors.map((e) => e.message).join('; ')}`);
      const stored = await engine.store.saveFlow(flow.namespace, flow.id, source);
      flows.set(`${flow.namespace}.${flow.id}`, stored.revision);
      return { namespace: flow.namespace, id: flow.id, revision: stored.revision };
    },
    async run(namespace, flowId, inputs = {}, opts = {}) {
      const flow = await engine.flows.get(namespace, flowId);
      const e = await engine.executor.createExecution({
        flow,
        revision: flow.revision ?? 1,
        inputs,
        labels: opts.labels,
      });
      return te.waitFor(e.id, opts.until);
    },
    waitFor(id, until = (e) => isTerminal(e.state.current)) {
      return waitForExecution(engine.executor, id, until);
    },
    async dispose() {
      await engine.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (pgUrl) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).finally(() => client.end());
      }
    },
  };
  return te;
};

/** The shared Kestra conformance folder, or undefined when this clone does not have it. */
export const conformanceDir = (): string | undefined => {
  const dir = new URL('../../../shared/conformance/kestra/', import.meta.url).pathname;
  return existsSync(dir) ? dir : undefined;
};

export const readValidFlows = (dir: string): { file: string; source: string }[] =>
  readdirSync(join(dir, 'valid'))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, source: readFileSync(join(dir, 'valid', file), 'utf8') }));
