/**
 * CORS, off by default: with `baton server --cors-origin ORIGIN` (repeatable), pages of those origins may
 * call the API from a browser. Their preflight requests are answered here; any other origin gets no CORS
 * header at all (its preflight is a plain 404), so the browser refuses to hand it the answers.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const ALLOWED_METHODS = 'GET, HEAD, POST, PUT, PATCH, DELETE';
/** What browser clients send: credentials, JSON or YAML bodies, and an event stream's resume point. */
const ALLOWED_HEADERS = 'authorization, content-type, accept, last-event-id';
/** Answer headers a page may read (the browser hides all but a few simple ones otherwise). */
const EXPOSED_HEADERS = 'retry-after, content-disposition, location';
/**
 * How long a browser may reuse a preflight answer, in seconds. Ten minutes: fewer preflights for a busy
 * page, while an origin removed from the list stops working soon after the restart (browsers cap it at
 * 2 hours anyway).
 */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

const allowedOrigin = (origins: readonly string[], req: FastifyRequest): string | undefined => {
  const origin = req.headers.origin;
  return origin !== undefined && origins.includes(origin) ? origin : undefined;
};

/** `onRequest` hook: answers the preflight (OPTIONS with Access-Control-Request-Method) of an allowed origin. */
export const corsPreflight =
  (origins: readonly string[]) =>
  async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return;
    const origin = allowedOrigin(origins, req);
    if (origin === undefined) return;
    void reply
      .status(204)
      .header('access-control-allow-origin', origin)
      .header('access-control-allow-methods', ALLOWED_METHODS)
      .header('access-control-allow-headers', ALLOWED_HEADERS)
      .header('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS))
      .header('vary', 'Origin')
      .send();
    return reply;
  };

/** Adds the CORS headers to an answer for an allowed origin (`onSend`). */
export const corsHeaders = (origins: readonly string[], req: FastifyRequest, reply: FastifyReply): void => {
  const origin = allowedOrigin(origins, req);
  // Vary even when the origin is not allowed: a cache must not serve one origin's answer to another.
  if (origins.length > 0) reply.header('vary', 'Origin');
  if (origin === undefined) return;
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-expose-headers', EXPOSED_HEADERS);
};
