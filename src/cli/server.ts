/**
 * `baton server`: starts the server (src/server) and stops it on SIGTERM or SIGINT, letting running
 * tasks finish within the grace period; a second signal exits at once.
 */
import { UsageError } from '../errors.ts';
import { PURGE_INTERVAL_MS } from '../runtime/retention.ts';
import { parseRetention } from '../runtime/retention-rules.ts';
import { DEFAULT_LOGIN_LIMIT } from '../server/auth/login-limit.ts';
import { DEFAULT_GRACE_MS, SERVER_ROLES, type ServerRole, startServer } from '../server/server.ts';
import { killProcessGroups } from '../util/process-groups.ts';
import { database, dataDir, parse } from './args.ts';

const parseRoles = (text: string | undefined): ServerRole[] | undefined => {
  if (text === undefined) return undefined;
  const roles = text.split(',').map((r) => r.trim());
  for (const r of roles)
    if (!SERVER_ROLES.includes(r as ServerRole))
      throw new UsageError(`unknown role '${r}' in --roles: use ${SERVER_ROLES.join(',')}`);
  return roles as ServerRole[];
};

const parseNumber = (text: string | undefined, what: string, fallback: number): number => {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    throw new UsageError(`${what} must be a non-negative number, not '${text}'`);
  return n;
};

/** `--cors-origin` values: exact origins (`https://ui.example.com`), compared as browsers send them. */
const parseOrigins = (values: string[] | undefined): string[] =>
  (values ?? []).map((text) => {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new UsageError(`--cors-origin '${text}' is not an origin such as https://ui.example.com`);
    }
    if (!['http:', 'https:'].includes(url.protocol) || url.origin !== text.replace(/\/$/, ''))
      throw new UsageError(
        `--cors-origin '${text}' must be a bare origin (scheme, host and port only), such as ${url.origin}`,
      );
    return url.origin;
  });

/** A worker group name: what `workerGroup.key` of a task says. */
const parseGroup = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(text))
    throw new UsageError(`--group '${text}' must be letters, digits, '.', '_' or '-'`);
  return text;
};

export const main = async (argv: string[]): Promise<number> => {
  const { values } = parse(argv, {
    slots: { type: 'string' },
    group: { type: 'string' },
    data: { type: 'string' },
    db: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    flows: { type: 'string' },
    roles: { type: 'string' },
    grace: { type: 'string' },
    'log-format': { type: 'string' },
    'cors-origin': { type: 'string', multiple: true },
    retention: { type: 'string' },
    'retention-ns': { type: 'string', multiple: true },
    'audit-retention': { type: 'string' },
  });
  // Checked before anything starts: a bad value is a usage error, not a purger failing later.
  const retention = parseRetention({
    retention: values.retention ?? (process.env.BATON_RETENTION || undefined),
    namespaces: values['retention-ns'],
    audit: values['audit-retention'] ?? (process.env.BATON_AUDIT_RETENTION || undefined),
  });
  const logFormat = values['log-format'] ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json')
    throw new UsageError(`--log-format must be text or json, not '${logFormat}'`);
  let fatal = false;
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  // Listening before the start: a signal while it starts (migrations, the first admin's hash) stops the
  // server as soon as it is up, instead of killing the process halfway.
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    // A second signal: no more waiting for tasks; their scripts are killed first.
    if (signals > 1) {
      killProcessGroups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    stop();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const server = await startServer({
    dataDir: dataDir(values.data),
    database: database(values.db),
    host: values.host,
    port: values.port === undefined ? undefined : parseNumber(values.port, '--port', 8080),
    flowsDir: values.flows,
    roles: parseRoles(values.roles),
    workerSlots:
      values.slots === undefined ? undefined : Math.max(1, parseNumber(values.slots, '--slots', 32)),
    workerGroup: parseGroup(values.group),
    graceMs: parseNumber(values.grace, '--grace', DEFAULT_GRACE_MS / 1000) * 1000,
    logFormat,
    retention: {
      config: retention,
      // Tests and benchmarks: purge rounds seconds apart instead of a minute.
      intervalMs: parseNumber(
        process.env.BATON_RETENTION_INTERVAL_MS,
        'BATON_RETENTION_INTERVAL_MS',
        PURGE_INTERVAL_MS,
      ),
    },
    options: {
      corsOrigins: parseOrigins(values['cors-origin']),
      loginLimit: {
        ...DEFAULT_LOGIN_LIMIT,
        windowMs: parseNumber(
          process.env.BATON_LOGIN_WINDOW_MS,
          'BATON_LOGIN_WINDOW_MS',
          DEFAULT_LOGIN_LIMIT.windowMs,
        ),
      },
    },
    onAdminPassword: (user, password) =>
      console.log(
        `No admin was configured: created user '${user}' with password ${password}\n` +
          'It is shown only this once. Set BATON_ADMIN_USER and BATON_ADMIN_PASSWORD to choose them.',
      ),
    // The database cannot be used any more: stop as after a signal, with exit code 3.
    onFatal: () => {
      fatal = true;
      stop();
    },
  });
  if (server.url && server.managementOnly)
    console.log(`Baton server on ${server.url} (health and metrics only: /health, /ready, /metrics)`);
  else if (server.url)
    console.log(`Baton server on ${server.url} (API docs: ${server.url}/api/v1/openapi.json)`);
  await stopped;
  await server.close();
  // Everything is stopped and the store closed: exit now rather than wait for stray timers (a client's
  // half-closed socket's timeout) to run out.
  process.exit(fatal ? 3 : 0);
};
