/**
 * The PostgreSQL connection pool (`pg`, pure JavaScript), the transaction helpers and the mapping of the
 * server's failures to StoreFailureError. Every statement is parameterised; the only text put into SQL
 * is the schema name, checked to be a plain identifier first.
 */
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { pgFailureOf, StoreFailureError } from '../errors.ts';

export interface PgOptions {
  /**
   * `postgres://user:password@host:port/database`. A `?schema=NAME` parameter (or the `schema` option)
   * puts every table in that schema, created if missing; without one, the server's search_path decides
   * (`?options=-csearch_path%3DNAME` works too when NAME exists).
   */
  url: string;
  schema?: string;
  /**
   * PostgreSQL's `synchronous_commit` for Baton's connections, opt-in (also `?synchronous_commit=off`
   * in the URL). Default: the server's (`on`: a commit returns once its WAL is on disk). `off` returns
   * before: a task costs about four WAL flushes (the claims and writes of executor and worker), which
   * is most of its time on a disk with slow flushes; but a crash of the PostgreSQL server (not of Baton)
   * can then lose the last commits (up to three times wal_writer_delay, 0.6 s by default; the database
   * stays consistent). Baton may then run a task again, or a step twice.
   */
  synchronousCommit?: SynchronousCommit;
  /** Connections in the pool (default 10). */
  poolSize?: number;
}

/** A connection or the pool: what the parts run their statements on. */
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * A server that does not accept the connection within this fails the statement as `unreachable`
 * (retried by the caller): without it, a black-holed host would hang every store call.
 */
const CONNECT_TIMEOUT_MS = 10_000;
/** An idle connection is closed after this, so a quiet process holds few. */
const IDLE_MS = 30_000;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const SYNCHRONOUS_COMMIT = ['on', 'off', 'local', 'remote_write', 'remote_apply'] as const;
export type SynchronousCommit = (typeof SYNCHRONOUS_COMMIT)[number];

export interface PgTarget {
  /** The URL without the `schema` parameter, handed to `pg`. */
  connectionString: string;
  schema?: string;
  synchronousCommit?: SynchronousCommit;
  /** `host:port/database`, for messages (never the password). */
  where: string;
}

/** Splits our `schema` and `synchronous_commit` parameters off the URL; checks them. */
export const pgTarget = (url: string, schema?: string, synchronous?: SynchronousCommit): PgTarget => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Not a PostgreSQL URL: '${url.replace(/:[^:@/]*@/, ':***@')}'`);
  }
  const fromUrl = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  const commit = synchronous ?? parsed.searchParams.get('synchronous_commit') ?? undefined;
  parsed.searchParams.delete('synchronous_commit');
  if (commit !== undefined && !(SYNCHRONOUS_COMMIT as readonly string[]).includes(commit))
    throw new Error(
      `PostgreSQL synchronous_commit '${commit}' must be one of ${SYNCHRONOUS_COMMIT.join(', ')}`,
    );
  const chosen = schema ?? fromUrl;
  if (chosen !== undefined && !IDENTIFIER.test(chosen))
    throw new Error(`PostgreSQL schema '${chosen}' must be a plain identifier (letters, digits, _)`);
  const where = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  return {
    connectionString: parsed.toString(),
    schema: chosen,
    synchronousCommit: commit as SynchronousCommit | undefined,
    where,
  };
};

export class PgDb {
  readonly pool: pg.Pool;
  readonly schema: string | undefined;
  readonly where: string;
  /** Names this store in the notifications it sends, so that its own listener skips them (notify.ts). */
  readonly origin = randomBytes(6).toString('hex');
  readonly #connectionString: string;
  readonly #synchronousCommit: SynchronousCommit | undefined;

  constructor(options: PgOptions) {
    const target = pgTarget(options.url, options.schema, options.synchronousCommit);
    this.schema = target.schema;
    this.#synchronousCommit = target.synchronousCommit;
    this.where = target.where;
    this.#connectionString = target.connectionString;
    this.pool = new pg.Pool({
      ...this.clientConfig(),
      max: options.poolSize ?? 10,
      idleTimeoutMillis: IDLE_MS,
    });
    // An idle connection dropped by the server (restart, network): the next query opens a new one.
    // Without a listener, the pool's 'error' event would end the process.
    this.pool.on('error', () => undefined);
  }

  /** Settings of a connection (pool or a dedicated LISTEN client): the schema first on the search path. */
  clientConfig(): pg.ClientConfig {
    const settings = [
      ...(this.schema ? [`-c search_path=${this.schema}`] : []),
      ...(this.#synchronousCommit ? [`-c synchronous_commit=${this.#synchronousCommit}`] : []),
    ];
    return {
      connectionString: this.#connectionString,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      ...(settings.length > 0 ? { options: settings.join(' ') } : {}),
    };
  }

  /** The error to throw for `error`: a StoreFailureError when it is about the server itself. */
  wrap(error: unknown): unknown {
    const failure = pgFailureOf(error, this.where);
    return failure ? new StoreFailureError(failure, error) : error;
  }

  async query<T extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    on: Queryable = this.pool,
  ): Promise<pg.QueryResult<T>> {
    try {
      // Named: each connection parses and plans a statement once, then only binds and executes it. That
      // was most of a short statement's cost (a claim: 0.86 ms a round trip unnamed, 0.37 ms named).
      // Statements without parameters may hold several commands (migrations): those go as text.
      return await on.query<T>(
        params.length > 0 ? { text: sql, values: params, name: statementName(sql) } : sql,
      );
    } catch (error) {
      throw this.wrap(error);
    }
  }

  async rows<T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], on?: Queryable): Promise<T[]> {
    return (await this.query<T>(sql, params, on)).rows;
  }

  async one<T extends pg.QueryResultRow>(
    sql: string,
    params: unknown[] = [],
    on?: Queryable,
  ): Promise<T | undefined> {
    return (await this.query<T>(sql, params, on)).rows[0];
  }

  async connect(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw this.wrap(error);
    }
    // The pool stops listening for a client's 'error' while it is checked out: a connection the server
    // ends then (pg_terminate_backend, restart) between two statements would emit an unhandled 'error'
    // and end the process. Its next statement fails instead, and it is released as broken.
    const ignore = () => undefined;
    client.on('error', ignore);
    const release = client.release.bind(client);
    client.release = (err?: Error | boolean) => {
      client.removeListener('error', ignore);
      release(err);
    };
    return client;
  }

  /** Runs `fn` in one BEGIN ... COMMIT on one connection; rolls back and rethrows if it throws. */
  async tx<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    try {
      await this.query('BEGIN', [], client);
      const result = await fn(client);
      await this.query('COMMIT', [], client);
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      // A connection whose rollback failed is in an unknown state: the pool must not hand it out again.
      client.release(broken);
    }
  }

  /** Runs `fn` inside the current transaction as one unit: on error only its changes are undone. */
  async savepoint<T>(client: pg.PoolClient, fn: () => Promise<T>): Promise<T> {
    await this.query('SAVEPOINT write', [], client);
    try {
      const result = await fn();
      await this.query('RELEASE SAVEPOINT write', [], client);
      return result;
    } catch (error) {
      await this.query('ROLLBACK TO SAVEPOINT write', [], client);
      await this.query('RELEASE SAVEPOINT write', [], client);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

const names = new Map<string, string>();
/**
 * The name of a statement's prepared form: from its text, so that one text has one name (pg refuses two
 * texts under one name). Texts are the store's own, built from a bounded set of fragments.
 */
const statementName = (sql: string): string => {
  let name = names.get(sql);
  if (name === undefined) {
    name = `baton_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    names.set(sql, name);
  }
  return name;
};

/** JSON for a TEXT column; `undefined` becomes SQL NULL. Throws on values JSON cannot carry (BigInt). */
export const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** A BIGINT read back (pg returns int8 as text): as a number, exact below 2^53. */
export const num = (value: unknown): number => Number(value);
