/**
 * What the SQL tasks and triggers need from a database, whatever the driver: one connection taken from
 * the worker's pool, running statements with bound parameters and returning rows already converted to
 * Kestra's output types (numbers, ISO date strings, parsed JSON, lists, base64 bytes, null).
 */

export interface SqlResult {
  /** Whether the statement produced a result set (a SELECT, RETURNING...), even an empty one. */
  hasResultSet: boolean;
  rows: Record<string, unknown>[];
}

export interface SqlSession {
  /** Runs one statement; `:name` parameters are bound from `parameters`. */
  run(sql: string, parameters?: Record<string, unknown>): Promise<SqlResult>;
  /**
   * Starts a transaction. `snapshot`: `afterSQL` must act on what `sql` saw, not on rows committed in
   * between (under READ COMMITTED an `UPDATE ... WHERE processed = 0` would mark a row inserted after the
   * SELECT, which no execution ever got): PostgreSQL REPEATABLE READ, MySQL SERIALIZABLE (its UPDATEs
   * read the latest rows at any lower level; SERIALIZABLE makes the SELECT lock what it read, so a
   * concurrent INSERT waits for the commit), SQLite IMMEDIATE (no other writer until the commit).
   */
  begin(snapshot?: boolean): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Gives the connection back to the pool (`broken`: closes it instead). */
  release(broken?: boolean): void;
}

/** A parameter value as drivers bind it: maps (and lists for drivers without arrays) as JSON text. */
export const bindable = (value: unknown, arrays: boolean): unknown => {
  if (value === undefined) return null;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date || value instanceof Uint8Array) return value;
  if (Array.isArray(value) && arrays) return value;
  return JSON.stringify(value);
};

/** Bytes as Kestra outputs them (Jackson writes byte arrays as base64). */
export const bytesOut = (b: Uint8Array): string => Buffer.from(b).toString('base64');

/** A 64-bit integer as a number when exact, else its text (JSON numbers beyond 2^53 lose digits). */
export const bigOut = (text: string): number | string => {
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
};

/** A decimal as a number when the number reads back the same value, else its text. */
export const decimalOut = (text: string): number | string => {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  const canonical = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  return String(n) === canonical.replace(/^(-?)0+(?=\d)/, '$1') ? n : text;
};

/** A UTC instant as ISO text, without a zero fraction (as Java's Instant prints). */
export const instantOut = (d: Date): string | null =>
  Number.isNaN(d.getTime()) ? null : d.toISOString().replace('.000Z', 'Z');
