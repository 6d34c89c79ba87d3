/**
 * Server-sent event streams (follow an execution, follow its logs). The reply is taken over from Fastify
 * (`hijack`): headers are written here, security headers included. Every open stream is known to the
 * server, which ends them when it stops (a follower would otherwise hold the process until its
 * connection is cut), and a stream ends its own watchers when the client goes away.
 */
import type { FastifyReply } from 'fastify';
import type { Api, ServerContext } from './context.ts';

/**
 * A comment line sent this often keeps proxies and load balancers from closing a quiet stream (many
 * cut idle connections after 60 s) and lets a vanished client be noticed by a failed write.
 */
const KEEP_ALIVE_MS = 15_000;

export class EventStream {
  readonly #reply: FastifyReply;
  readonly #closers: (() => void)[] = [];
  readonly #registry: Set<EventStream>;
  readonly #keepAlive: NodeJS.Timeout;
  #closed = false;

  constructor(reply: FastifyReply, registry: Set<EventStream>) {
    this.#reply = reply;
    this.#registry = registry;
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      // Tells nginx not to buffer the stream.
      'x-accel-buffering': 'no',
    });
    registry.add(this);
    this.#keepAlive = setInterval(() => this.#write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    this.#keepAlive.unref();
    // The response's `close`: the client went away (the request's own `close` only says it was read).
    reply.raw.on('close', () => this.end());
    reply.raw.on('error', () => this.end());
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs `fn` when the stream ends (client gone, server stopping, or `end()`). */
  onClose(fn: () => void): void {
    if (this.#closed) fn();
    else this.#closers.push(fn);
  }

  /** One event: `id` (Kestra's `start`, `progress`, `end`) and its JSON data. */
  send(id: string, data: unknown, event?: string): void {
    this.sendRaw(id, JSON.stringify(data), event);
  }

  /** One event whose data is JSON text already. */
  sendRaw(id: string, json: string, event?: string): void {
    this.#write(`${event ? `event: ${event}\n` : ''}id: ${id}\ndata: ${json}\n\n`);
  }

  end(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#keepAlive);
    this.#registry.delete(this);
    for (const fn of this.#closers.splice(0)) {
      try {
        fn();
      } catch {
        // a watcher that fails to stop must not keep the others running
      }
    }
    if (!this.#reply.raw.writableEnded) this.#reply.raw.end();
  }

  #write(text: string): void {
    if (this.#closed || this.#reply.raw.writableEnded) return;
    this.#reply.raw.write(text);
  }
}

const registries = new WeakMap<ServerContext, Set<EventStream>>();

/**
 * The open streams of a server; the first call for an app scope makes the server end them when it
 * stops (before it waits for requests in flight).
 */
export const eventStreams = (app: Api, ctx: ServerContext): Set<EventStream> => {
  let registry = registries.get(ctx);
  if (!registry) {
    registry = new Set();
    registries.set(ctx, registry);
  }
  const streams = registry;
  app.addHook('preClose', async () => {
    for (const stream of [...streams]) stream.end();
  });
  return streams;
};
