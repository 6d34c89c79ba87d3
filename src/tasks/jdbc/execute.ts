/**
 * Running SQL for the Query and Queries tasks and the Trigger: borrows a pooled connection, runs the
 * statements (in a transaction when asked), and shapes each result set as Kestra does for `fetchType`:
 * FETCH → `rows` + `size`, FETCH_ONE → `row` (+ `size`), STORE → `uri` + `size` (rows written to
 * internal storage as Ion, one row a line, which `read()`, ForEachItem and the storage tasks read),
 * NONE → nothing.
 */
import { toIon } from '../../expression/ion.ts';
import { sqlError } from './errors.ts';
import { acquireSession, type Credentials } from './pools.ts';
import type { SqlResult, SqlSession } from './session.ts';
import { type Statement, splitStatements } from './sql-text.ts';
import { describeTarget, type JdbcTarget, parseJdbcUrl } from './url.ts';

export type FetchType = 'FETCH' | 'FETCH_ONE' | 'STORE' | 'NONE';

export interface SqlProps extends Credentials {
  sql: string;
  parameters?: Record<string, unknown>;
  fetchType?: FetchType;
  afterSQL?: string;
  /** Queries only: run all statements in one transaction (default true). */
  transaction?: boolean;
  // Kestra's deprecated booleans, still found in older flows.
  fetch?: boolean;
  fetchOne?: boolean;
  store?: boolean;
}

export interface StatementOutput {
  row?: Record<string, unknown> | null;
  rows?: Record<string, unknown>[];
  uri?: string;
  size?: number;
}

export interface RunEnv {
  workingDir: string;
  /** Saves STORE rows (Ion text) to internal storage; returns the URI. */
  store?(ion: string): Promise<string>;
  debug?(message: string): void;
}

export const fetchTypeOf = (p: SqlProps): FetchType =>
  p.fetch ? 'FETCH' : p.fetchOne ? 'FETCH_ONE' : p.store ? 'STORE' : (p.fetchType ?? 'NONE');

/** Rows as Ion text, one row a line, as Kestra's STORE files. */
export const rowsToIon = (rows: Record<string, unknown>[]): string =>
  rows.map((r) => `${toIon(r)}\n`).join('');

const shape = async (result: SqlResult, fetchType: FetchType, env: RunEnv): Promise<StatementOutput> => {
  switch (fetchType) {
    case 'FETCH':
      return { rows: result.rows, size: result.rows.length };
    case 'FETCH_ONE':
      return { row: result.rows[0] ?? null, size: result.rows.length > 0 ? 1 : 0 };
    case 'STORE': {
      if (!env.store) throw new Error('fetchType STORE is not available here: use FETCH');
      return { uri: await env.store(rowsToIon(result.rows)), size: result.rows.length };
    }
    default:
      return { size: result.rows.length };
  }
};

interface Plan {
  target: JdbcTarget;
  statements: Statement[];
  transaction: boolean;
  /** `afterSQL` follows `sql`: one snapshot for both (see SqlSession.begin). */
  snapshot?: boolean;
}

const runPlan = async (
  session: SqlSession,
  plan: Plan,
  props: SqlProps,
  env: RunEnv,
  each: (result: SqlResult, index: number) => Promise<void>,
): Promise<void> => {
  const { statements, target } = plan;
  if (plan.transaction) await session.begin(plan.snapshot);
  for (const [index, st] of statements.entries()) {
    env.debug?.(`running statement ${index + 1} of ${statements.length} (line ${st.line})`);
    let result: SqlResult;
    try {
      result = await session.run(st.sql, props.parameters);
    } catch (error) {
      throw sqlError(error, target, { index, count: statements.length, line: st.line, sql: st.sql });
    }
    await each(result, index);
  }
  if (plan.transaction) await session.commit();
};

/** Runs with a borrowed connection; rolls back and gives it back whatever happens. */
const withSession = async <T>(
  props: SqlProps,
  env: RunEnv,
  plan: Plan,
  body: (s: SqlSession) => Promise<T>,
) => {
  const session = await acquireSession(plan.target, props, env.workingDir);
  let broken = false;
  try {
    return await body(session);
  } catch (error) {
    if (plan.transaction)
      await session.rollback().catch((e: unknown) => {
        broken = true;
        env.debug?.(`rollback failed: ${(e as Error).message}`);
      });
    throw error;
  } finally {
    session.release(broken);
  }
};

/**
 * Query: one statement (plus `afterSQL` in the same transaction); the shape of its result set (with NONE,
 * only `size`: the task outputs nothing then, the trigger fires on it).
 */
export const runQuery = async (props: SqlProps, env: RunEnv): Promise<StatementOutput> => {
  const target = parseJdbcUrl(props.url);
  const statements: Statement[] = [{ sql: props.sql, line: 1 }];
  if (props.afterSQL) statements.push({ sql: props.afterSQL, line: 1 });
  const plan = { target, statements, transaction: statements.length > 1, snapshot: statements.length > 1 };
  env.debug?.(`connecting to the ${describeTarget(target)}`);
  const fetchType = fetchTypeOf(props);
  let out: StatementOutput = {};
  await withSession(props, env, plan, (s) =>
    runPlan(s, plan, props, env, async (result, index) => {
      if (index === 0 && result.hasResultSet) out = await shape(result, fetchType, env);
    }),
  );
  return out;
};

/** Queries: every statement of the script; one output per statement that returned a result set. */
export const runQueries = async (props: SqlProps, env: RunEnv): Promise<StatementOutput[]> => {
  const target = parseJdbcUrl(props.url);
  const statements = splitStatements(props.sql);
  const plan = { target, statements, transaction: props.transaction ?? true };
  env.debug?.(`connecting to the ${describeTarget(target)} for ${statements.length} statement(s)`);
  const fetchType = fetchTypeOf(props);
  const outputs: StatementOutput[] = [];
  await withSession(props, env, plan, (s) =>
    runPlan(s, plan, props, env, async (result) => {
      if (result.hasResultSet) outputs.push(fetchType === 'NONE' ? {} : await shape(result, fetchType, env));
    }),
  );
  return outputs;
};

export interface HeldPoll {
  out: StatementOutput;
  /** Ends the transaction (commit: keep what `afterSQL` did) and gives the connection back. */
  finish(commit: boolean): Promise<void>;
}

/**
 * The trigger's poll: `sql` then `afterSQL` in one transaction left open, so that rows marked processed
 * stay unmarked unless the execution they start is stored (see PollResult.settle).
 */
export const pollQuery = async (props: SqlProps, env: RunEnv): Promise<HeldPoll> => {
  const target = parseJdbcUrl(props.url);
  const statements: Statement[] = [{ sql: props.sql, line: 1 }];
  if (props.afterSQL) statements.push({ sql: props.afterSQL, line: 1 });
  const session = await acquireSession(target, props, env.workingDir);
  let out: StatementOutput = {};
  let open = true;
  const finish = async (commit: boolean) => {
    if (!open) return;
    open = false;
    let broken = false;
    try {
      if (commit) await session.commit();
      else await session.rollback();
    } catch (error) {
      broken = true;
      throw error;
    } finally {
      session.release(broken);
    }
  };
  try {
    await session.begin(statements.length > 1);
    for (const [index, st] of statements.entries()) {
      let result: SqlResult;
      try {
        result = await session.run(st.sql, props.parameters);
      } catch (error) {
        throw sqlError(error, target, { index, count: statements.length, line: st.line, sql: st.sql });
      }
      if (index === 0 && result.hasResultSet) out = await shape(result, fetchTypeOf(props), env);
    }
  } catch (error) {
    await finish(false).catch(() => undefined);
    throw error;
  }
  return { out, finish };
};
