/**
 * `baton server`: the parts of Baton in one process on the embedded store, each started and stopped
 * explicitly. Roles: `api` (HTTP), `scheduler` (triggers that fire on their own), `executor` and
 * `worker` (the engine). The PostgreSQL issue runs the same parts as separate processes.
 *
 * Stopping (SIGTERM/SIGINT, `close`): the API stops taking requests and the scheduler stops firing,
 * the worker takes no new job and its running tasks get `graceMs` to finish; tasks still running then
 * are stopped and their jobs released (another process runs them again); the store is closed last.
 */
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { type Embedded, openEmbedded } from '../runtime/embedded.ts';
import type { AuditEntry } from '../store/types.ts';
import { tracingOn } from '../tracing/tracing.ts';
import { buildApp } from './app.ts';
import { Authenticator } from './auth/authenticate.ts';
import { bootstrapAdmin } from './auth/bootstrap.ts';
import { DEFAULT_LOGIN_LIMIT } from './auth/login-limit.ts';
import type { Api, ServerOptions } from './context.ts';
import { createLogger, type LogFormat } from './logging.ts';
import { createMetrics } from './metrics.ts';
import { type PartsContext, type ServerPart, startParts } from './parts.ts';

export const SERVER_ROLES = ['api', 'scheduler', 'executor', 'worker'] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

export interface StartServerOptions {
  dataDir: string;
  /** A PostgreSQL URL or SQLite path instead of the data folder's database (see src/store/open.ts). */
  database?: string;
  host?: string;
  /**
   * 0 picks a free port (tests). Default 8080 with the api role; a process without it listens only when
   * given a port, and then serves its health and metrics only (`/health`, `/ready`, `/metrics`).
   */
  port?: number;
  roles?: readonly ServerRole[];
  /** A folder of flows loaded at start and watched. */
  flowsDir?: string;
  /** How long running tasks get to finish when the server stops. */
  graceMs?: number;
  logFormat?: LogFormat;
  logLevel?: string;
  /** Where log lines go (default stderr). */
  logWrite?: (line: string) => void;
  /** The first admin (default from BATON_ADMIN_USER / BATON_ADMIN_PASSWORD). */
  admin?: { user?: string; password?: string };
  /** Said once, at start: the generated admin password. */
  onAdminPassword?: (user: string, password: string) => void;
  encryptionKey?: Buffer;
  workerSlots?: number;
  /** The worker group whose jobs this server's worker claims (`baton worker --group`). */
  workerGroup?: string;
  options?: Partial<ServerOptions>;
  /** Retention (src/runtime/retention.ts), with the scheduler role; off by default. */
  retention?: PartsContext['retention'];
  /** The store cannot be used any more: the process should stop. */
  onFatal?: (error: Error) => void;
}

export interface RunningServer {
  /** `http://host:port`, when the api role runs or a port was given. */
  url?: string;
  /** Without the api role: the listener serves health and metrics only. */
  managementOnly: boolean;
  engine: Embedded;
  app?: Api;
  log: Logger;
  close(): Promise<void>;
}

const DEFAULT_OPTIONS: ServerOptions = {
  bodyLimit: 10 << 20,
  webhookBodyLimit: 1 << 20,
  corsOrigins: [],
  loginLimit: DEFAULT_LOGIN_LIMIT,
};

/** Seconds given to running tasks at a stop, as Kestra's default `terminationGracePeriod` (5 min) is long for one process. */
export const DEFAULT_GRACE_MS = 30_000;

/**
 * How long requests in flight get at a stop before their connections are cut. Short: a client waiting
 * for an execution (`wait=true`) or following one can ask again; the process must not hang on it.
 */
const API_CLOSE_WAIT_MS = 2_000;

/**
 * Waits until the executor has no message it could take now, or `deadline`. Polls the store: the queue
 * may be fed by another process too. Every 20 ms: a stop is rare, and the executor's own steps take
 * about a millisecond each.
 */
const executorSettled = async (engine: Embedded, deadline: number): Promise<void> => {
  while (Date.now() < deadline) {
    const next = await engine.store.nextAvailableAt('executor').catch(() => undefined);
    if (next === undefined || next > Date.now()) return;
    await sleep(20);
  }
};

export const startServer = async (opts: StartServerOptions): Promise<RunningServer> => {
  const roles = new Set<ServerRole>(opts.roles ?? SERVER_ROLES);
  const log = createLogger(opts.logFormat ?? 'text', { level: opts.logLevel, write: opts.logWrite });
  const engine = await openEmbedded({
    dataDir: opts.dataDir,
    database: opts.database,
    encryptionKey: opts.encryptionKey,
    workerSlots: opts.workerSlots,
    workerGroup: opts.workerGroup,
    // Its executor stays up: it takes over the executions of processes found dead.
    instance: { roles: [...roles], adopt: true },
    start: { executor: roles.has('executor'), worker: roles.has('worker') },
    onFatal: (error) => {
      log.fatal(error.message);
      opts.onFatal?.(error);
    },
    onNotice: (message) => log.warn(message),
  });
  const auth = new Authenticator(engine.store);
  const options = { ...DEFAULT_OPTIONS, ...opts.options };
  const audit = async (entry: AuditEntry) => {
    await engine.store.appendAudit([entry]);
  };
  const auditEntry = (
    req: FastifyRequest,
    entry: Omit<AuditEntry, 'at' | 'actor' | 'source'>,
  ): AuditEntry => ({
    ...entry,
    at: new Date().toISOString(),
    actor: req.principal?.name ?? 'anonymous',
    source: req.ip,
  });
  const metrics = createMetrics(engine);
  const parts: ServerPart[] = [];
  let app: Api | undefined;
  try {
    const admin = await bootstrapAdmin(
      engine.store,
      opts.admin ?? {
        user: process.env.BATON_ADMIN_USER,
        password: process.env.BATON_ADMIN_PASSWORD,
      },
    );
    if (admin.generated) opts.onAdminPassword?.(admin.generated.user, admin.generated.password);
    parts.push(
      ...(await startParts({
        engine,
        roles,
        flowsDir: opts.flowsDir,
        log,
        metrics,
        retention: opts.retention,
      })),
    );
    if (roles.has('api') || opts.port !== undefined) {
      app = await buildApp(
        {
          engine,
          auth,
          options,
          metrics,
          audit: (req, entry) => audit(auditEntry(req, entry)),
          auditEntry,
        },
        log,
        roles.has('api') ? 'all' : 'management',
      );
      await app.listen({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 8080 });
    }
  } catch (error) {
    await app?.close().catch(() => undefined);
    for (const part of parts.reverse()) await part.stop().catch(() => undefined);
    metrics.stop();
    await engine.close({ drain: false }).catch(() => undefined);
    throw error;
  }
  const address = app?.server.address() as AddressInfo | null | undefined;
  const host = address && (address.family === 'IPv6' ? `[${address.address}]` : address.address);
  const url = address ? `http://${host}:${address.port}` : undefined;
  log.info(
    { roles: [...roles], url, data: opts.dataDir, instance: engine.owner, workerGroup: opts.workerGroup },
    'baton server started',
  );
  if (tracingOn()) log.info({ instance: engine.owner }, 'traces exported over OTLP (OTEL_* variables)');

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      log.info('baton server stopping');
      // No new requests; requests in flight get a moment to be answered, then every connection is cut
      // (an idle keep-alive socket or an open event stream would otherwise keep the process alive).
      if (app) {
        const closed = app.close().catch((e: unknown) => log.warn({ err: e }, 'closing the API'));
        await Promise.race([closed, sleep(API_CLOSE_WAIT_MS)]);
        app.server.closeAllConnections();
      }
      for (const part of parts.reverse())
        await part.stop().catch((e: unknown) => log.warn({ err: e }, 'stopping'));
      const grace = opts.graceMs ?? DEFAULT_GRACE_MS;
      const deadline = Date.now() + grace;
      const drained = engine.worker.stop({ drain: true }).then(() => true);
      const inTime = await Promise.race([drained, sleep(grace).then(() => false)]);
      if (!inTime) log.warn({ graceMs: grace }, 'tasks still running after the grace period: stopping them');
      // The results of the tasks that just finished are queued for the executor: let it record them (and
      // end their executions) within what is left of the grace period, instead of at the next start.
      else if (roles.has('executor')) await executorSettled(engine, deadline);
      metrics.stop();
      await engine.close({ drain: inTime });
      log.info('baton server stopped');
    })());
  return { url, managementOnly: !roles.has('api'), engine, app, log, close };
};
