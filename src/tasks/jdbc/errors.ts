/**
 * Driver errors turned into messages a flow author can act on. A server that cannot be reached is
 * retryable (it may be restarting) and the message says what to check; credentials or a database that
 * the server refuses are not (the same attempt would be refused again). An SQL error is not retryable
 * and names the statement (its number in the script and its line). Messages never hold a password.
 */
import { TaskError } from '../types.ts';
import { describeTarget, type JdbcTarget } from './url.ts';

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
  position?: string;
  sqlMessage?: string;
}

const NETWORK = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
]);

const messageOf = (e: DriverError): string => e.sqlMessage ?? e.message ?? String(e);

export const connectionError = (error: unknown, target: JdbcTarget): TaskError => {
  if (error instanceof TaskError) return error;
  const e = (error ?? {}) as DriverError;
  const where = describeTarget(target);
  const msg = messageOf(e);
  if (target.dialect !== 'sqlite') {
    if (e.code === '28P01' || e.code === '28000' || e.code === 'ER_ACCESS_DENIED_ERROR' || e.errno === 1045)
      return new TaskError(
        `the ${where} refused the login: ${msg}; check \`username\` and \`password\` (e.g. the secret they come from)`,
        { retryable: false, cause: error },
      );
    if (e.code === '3D000' || e.code === 'ER_BAD_DB_ERROR' || e.errno === 1049)
      return new TaskError(`the ${where} has no such database: ${msg}; check the database name in \`url\``, {
        retryable: false,
        cause: error,
      });
    if (NETWORK.has(e.code ?? '') || /timeout|terminated unexpectedly|connect/i.test(msg)) {
      const hint =
        e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN'
          ? 'check the host name in `url`'
          : 'check that the server is running and that the host and port in `url` are right (and reachable from the worker)';
      return new TaskError(`cannot connect to the ${where}: ${msg}; ${hint}`, {
        retryable: true,
        cause: error,
      });
    }
    return new TaskError(`cannot connect to the ${where}: ${msg}`, { retryable: true, cause: error });
  }
  return new TaskError(`cannot open the ${where}: ${msg}; check the path in \`url\` and its permissions`, {
    retryable: false,
    cause: error,
  });
};

/** True when the error is the connection going away (not the statement being wrong). */
export const isConnectionLoss = (error: unknown): boolean => {
  const e = (error ?? {}) as DriverError;
  return (
    NETWORK.has(e.code ?? '') || /Connection terminated|connection lost|closed state/i.test(messageOf(e))
  );
};

/** 1-based line and column of a 1-based character position in `sql`. */
const lineColumn = (sql: string, position: number): string => {
  const before = sql.slice(0, Math.max(0, position - 1)).split('\n');
  return `line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1}`;
};

export const sqlError = (
  error: unknown,
  target: JdbcTarget,
  statement: { index: number; count: number; line: number; sql: string },
): TaskError => {
  if (error instanceof TaskError) return error;
  if (isConnectionLoss(error)) return connectionError(error, target);
  const e = (error ?? {}) as DriverError;
  const where =
    statement.count > 1
      ? `statement ${statement.index + 1} of ${statement.count} (starting at line ${statement.line})`
      : 'the statement';
  const at = e.position ? ` at ${lineColumn(statement.sql, Number(e.position))} of that statement` : '';
  const code = e.code && !/^ERR_SQLITE/.test(e.code) ? ` [${e.code}]` : '';
  return new TaskError(`SQL error in ${where}${at}: ${messageOf(e)}${code}`, {
    retryable: false,
    cause: error,
  });
};
