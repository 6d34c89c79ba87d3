/**
 * Failures of the database itself, as opposed to a bad write: locked by another process, disk full,
 * read-only, I/O errors, damage. They are no fault of the execution being written, so they never count
 * against its messages: the caller retries those that can pass (`retryable`) and otherwise stops with
 * `describeStoreFailure`'s message. Backends map their error codes here: SQLite's result codes, and
 * PostgreSQL's SQLSTATEs and connection errors (which the PostgreSQL store tags with StoreFailureError,
 * so that a task's own `ECONNREFUSED` or a JDBC task's SQLSTATE is never taken for the store's).
 */
import { BatonError } from '../errors.ts';

export type StoreFailureKind =
  | 'busy'
  | 'full'
  | 'read-only'
  | 'cannot-open'
  | 'io'
  | 'corrupt'
  | 'unreachable';

export interface StoreFailure {
  kind: StoreFailureKind;
  /** The backend's code, e.g. SQLITE_BUSY. */
  code: string;
  /** The backend's own words. */
  detail: string;
  /**
   * Whether waiting can help: a lock held by another process is released. A full disk is not counted
   * as such: it rarely frees itself soon, and stopping at once says what to do.
   */
  retryable: boolean;
}

/** SQLite primary result codes (the low byte of an extended code) that concern the database itself. */
const SQLITE: Record<number, [StoreFailureKind, string]> = {
  5: ['busy', 'SQLITE_BUSY'],
  6: ['busy', 'SQLITE_LOCKED'],
  8: ['read-only', 'SQLITE_READONLY'],
  10: ['io', 'SQLITE_IOERR'],
  11: ['corrupt', 'SQLITE_CORRUPT'],
  13: ['full', 'SQLITE_FULL'],
  14: ['cannot-open', 'SQLITE_CANTOPEN'],
  26: ['corrupt', 'SQLITE_NOTADB'],
};

/** Node's file-system error codes met when the database file is created or grown. */
const ERRNO: Record<string, StoreFailureKind> = {
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read-only',
  EACCES: 'read-only',
  EPERM: 'read-only',
  EIO: 'io',
};

/**
 * PostgreSQL SQLSTATEs that concern the database server itself (not a bad statement). Connection
 * failures and a server restarting are `unreachable` and retryable: a server coming back is the usual end.
 */
const PG_SQLSTATE: Record<string, StoreFailureKind> = {
  '08000': 'unreachable',
  '08001': 'unreachable',
  '08003': 'unreachable',
  '08004': 'unreachable',
  '08006': 'unreachable',
  '57P01': 'unreachable', // admin_shutdown
  '57P02': 'unreachable', // crash_shutdown
  '57P03': 'unreachable', // cannot_connect_now (starting up)
  '53300': 'busy', // too_many_connections
  '40001': 'busy', // serialization_failure
  '40P01': 'busy', // deadlock_detected
  '55P03': 'busy', // lock_not_available
  '53100': 'full', // disk_full
  '25006': 'read-only', // read_only_sql_transaction (a standby)
  '3D000': 'cannot-open', // the database does not exist
  '28000': 'cannot-open', // invalid_authorization_specification
  '28P01': 'cannot-open', // invalid_password
  '58030': 'io',
  XX001: 'corrupt', // data_corrupted
  XX002: 'corrupt', // index_corrupted
};

/** Node's network error codes met when the PostgreSQL server cannot be reached or drops the connection. */
const PG_NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

const RETRYABLE_KINDS: ReadonlySet<StoreFailureKind> = new Set(['busy', 'unreachable']);

/**
 * What a PostgreSQL (`pg`) error says about the server at `where` (`host:port/database`), or undefined
 * for an error of the statement itself. pg's own connection errors ("Connection terminated
 * unexpectedly", a connect timeout) carry no code: they are recognised by their words.
 */
export const pgFailureOf = (error: unknown, where: string): StoreFailure | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = typeof e.code === 'string' ? e.code : undefined;
  let kind: StoreFailureKind | undefined = code ? PG_SQLSTATE[code] : undefined;
  if (!kind && code && PG_NETWORK.has(code)) kind = 'unreachable';
  if (
    !kind &&
    /Connection terminated|timeout expired|Client has encountered a connection error/i.test(message)
  )
    kind = 'unreachable';
  if (!kind) return undefined;
  return {
    kind,
    code: code ?? 'PG_CONNECTION',
    detail: `PostgreSQL at ${where}: ${message}`,
    retryable: RETRYABLE_KINDS.has(kind),
  };
};

/** An error of the database itself, already classified by its backend (the PostgreSQL store). */
export class StoreFailureError extends Error {
  readonly failure: StoreFailure;
  constructor(failure: StoreFailure, cause: unknown) {
    super(`${failure.code}: ${failure.detail}`, { cause });
    this.name = 'StoreFailureError';
    this.failure = failure;
  }
}

/** What an error says about the database itself, or undefined when it is about something else. */
export const storeFailureOf = (error: unknown): StoreFailure | undefined => {
  if (error instanceof StoreUnavailableError) return error.failure;
  if (error instanceof StoreFailureError) return error.failure;
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; errcode?: unknown; errstr?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (e.code === 'ERR_SQLITE_ERROR' && typeof e.errcode === 'number') {
    const known = SQLITE[e.errcode & 0xff];
    if (!known) return undefined;
    const detail = typeof e.errstr === 'string' ? e.errstr : message;
    return { kind: known[0], code: known[1], detail, retryable: known[0] === 'busy' };
  }
  if (typeof e.code === 'string' && ERRNO[e.code]) {
    const detail = message.startsWith(`${e.code}: `) ? message.slice(e.code.length + 2) : message;
    return { kind: ERRNO[e.code]!, code: e.code, detail, retryable: false };
  }
  return undefined;
};

/** Whether an error is a failure of the database itself (see the top of this file). */
export const isEnvironmentError = (error: unknown): boolean => storeFailureOf(error) !== undefined;

/** The database cannot be used, and retrying (more) cannot help: the process should stop. */
export class StoreUnavailableError extends BatonError {
  readonly failure: StoreFailure;
  constructor(failure: StoreFailure, cause: unknown, waitedMs?: number) {
    super(
      'STORE',
      `${failure.code}: ${failure.detail}${waitedMs === undefined ? '' : ` (still after ${Math.round(waitedMs / 1000)} s of retries)`}`,
      { cause },
    );
    this.failure = failure;
  }
}

/** One message for a person: what happened to the database at `where`, and what to do about it. */
export const describeStoreFailure = (failure: StoreFailure, where: string): string => {
  const what = `${failure.code}: ${failure.detail}`;
  const resume = 'nothing was half-written, and running the command again goes on from where it stopped';
  switch (failure.kind) {
    case 'busy':
      return `the database ${where} stays locked by another process (${what}). Stop the other baton process using this data folder, or wait for it, then run the command again: ${resume}.`;
    case 'full':
      return `the disk holding ${where} is full (${what}). Free some space, then run the command again: ${resume}.`;
    case 'read-only':
      return `the database ${where} cannot be written (${what}). Make the data folder and its files writable by this user, or choose another folder with --data DIR.`;
    case 'cannot-open':
      return `the database ${where} cannot be opened (${what}). Check that the data folder exists and this user may read and write it, or choose another folder with --data DIR.`;
    case 'io':
      return `reading or writing the database ${where} failed (${what}): the disk may be failing or gone. Check it, then run the command again.`;
    case 'corrupt':
      return `the database ${where} is damaged (${what}). Restore it from a backup, or move the data folder away to start afresh.`;
    case 'unreachable':
      return `the database ${where} cannot be reached (${what}). Check that the PostgreSQL server runs and accepts connections at that host and port (and the URL in --db or BATON_DATABASE_URL), then run the command again: ${resume}.`;
  }
};

/**
 * A trigger state changed since the writer read it (`TriggerStateWrite.expectVersion`): another writer
 * (the API, another scheduler) got there first. The write is rolled back; read again and decide again.
 */
export class TriggerStateConflictError extends BatonError {
  constructor(key: { namespace: string; flowId: string; triggerId: string }) {
    super('CONFLICT', `trigger ${key.namespace}.${key.flowId}.${key.triggerId} changed meanwhile`, {
      retryable: true,
    });
  }
}
