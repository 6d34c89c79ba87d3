/**
 * Kestra's JDBC URLs, read into what the Node drivers take: `jdbc:postgresql://host:port/db?...`,
 * `jdbc:mysql://host:port/db?...` (also `jdbc:mariadb:`), `jdbc:sqlite:/path/file.db` (`:memory:` too).
 * Credentials may sit in the URL's query (`?user=...&password=...`), as JDBC drivers accept; `username`
 * and `password` properties win over them. `redactUrl` is what may be logged.
 */
import { TaskError } from '../types.ts';

export type Dialect = 'postgresql' | 'mysql' | 'sqlite';

export interface ServerTarget {
  dialect: 'postgresql' | 'mysql';
  host: string;
  port: number;
  database?: string;
  user?: string;
  password?: string;
  /** Other URL parameters (sslmode, currentSchema...), lower-cased names. */
  options: Record<string, string>;
}

export interface SqliteTarget {
  dialect: 'sqlite';
  /** A file path, or `:memory:`. */
  path: string;
}

export type JdbcTarget = ServerTarget | SqliteTarget;

const DEFAULT_PORT = { postgresql: 5432, mysql: 3306 } as const;

const bad = (url: string, why: string): TaskError =>
  new TaskError(
    `url '${redactUrl(url)}' is not a JDBC URL Baton can use: ${why} (e.g. jdbc:postgresql://127.0.0.1:5432/db, ` +
      'jdbc:mysql://127.0.0.1:3306/db, jdbc:sqlite:/path/to/file.db)',
    { retryable: false },
  );

/** The URL without the password of its query or user-info part. */
export const redactUrl = (url: string): string =>
  url.replace(/([?&;]password=)[^&;]*/gi, '$1***').replace(/(\/\/[^/@:]*:)[^/@]*@/, '$1***@');

export const dialectOf = (url: string): Dialect | undefined => {
  const m = /^jdbc:(postgresql|mysql|mariadb|sqlite):/i.exec(url.trim());
  if (!m?.[1]) return undefined;
  const name = m[1].toLowerCase();
  return name === 'mariadb' ? 'mysql' : (name as Dialect);
};

export const parseJdbcUrl = (raw: string): JdbcTarget => {
  const url = raw.trim();
  const dialect = dialectOf(url);
  if (!dialect)
    throw bad(url, 'it must start with jdbc:postgresql:, jdbc:mysql:, jdbc:mariadb: or jdbc:sqlite:');
  if (dialect === 'sqlite') {
    const path = url.slice(url.indexOf(':', 5) + 1).replace(/\?.*$/, '');
    if (path === '') throw bad(url, 'no database file');
    return { dialect, path: path.startsWith('file:') ? path.slice(5) : path };
  }
  const rest = url.slice(url.indexOf(':', 5) + 1);
  // jdbc:postgresql:dbname (local server, default port) has no `//`.
  const parsed = rest.startsWith('//') ? safeUrl(`x:${rest}`) : safeUrl(`x://localhost/${rest}`);
  if (!parsed) throw bad(url, 'host, port or parameters cannot be read');
  const options: Record<string, string> = {};
  for (const [k, v] of parsed.searchParams) options[k.toLowerCase()] = v;
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, '')) || undefined;
  const port = parsed.port === '' ? DEFAULT_PORT[dialect] : Number(parsed.port);
  return {
    dialect,
    host: parsed.hostname.replace(/^\[|\]$/g, '') || 'localhost',
    port,
    database,
    user: options.user ?? (parsed.username ? decodeURIComponent(parsed.username) : undefined),
    password: options.password ?? (parsed.password ? decodeURIComponent(parsed.password) : undefined),
    options,
  };
};

const safeUrl = (text: string): URL | undefined => {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
};

/** What names a connection in messages: never the password. */
export const describeTarget = (t: JdbcTarget): string =>
  t.dialect === 'sqlite'
    ? `SQLite database ${t.path}`
    : `${t.dialect === 'postgresql' ? 'PostgreSQL' : 'MySQL/MariaDB'} server ${t.host}:${t.port}` +
      `${t.database ? `/${t.database}` : ''}${t.user ? ` as user '${t.user}'` : ''}`;
