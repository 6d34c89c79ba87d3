/**
 * Errors answered by the API, and how every error becomes a JSON answer: `{ message, code }` with the
 * status its kind calls for (Kestra's clients read `message`).
 */
import { BatonError, type ErrorCode } from '../errors.ts';

/** An answer with a status: thrown by route handlers. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details?: unknown;
  constructor(statusCode: number, message: string, options: { code?: string; details?: unknown } = {}) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = options.code ?? STATUS_CODES[statusCode] ?? 'ERROR';
    this.details = options.details;
  }
}

const STATUS_CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE',
  429: 'TOO_MANY_REQUESTS',
};

export const notFound = (what: string): HttpError => new HttpError(404, `${what} not found`);

const BATON_STATUS: Partial<Record<ErrorCode, number>> = {
  USAGE: 400,
  INVALID_FLOW: 422,
  INVALID_INPUT: 422,
  EXPRESSION: 422,
  FLOW_DISABLED: 409,
  FLOW_NOT_FOUND: 404,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STORAGE_PATH: 400,
  STORAGE_NOT_FOUND: 404,
  STORAGE_FULL: 507,
  STORE: 503,
};

export interface ErrorAnswer {
  statusCode: number;
  body: { message: string; code: string; details?: unknown };
}

/** The answer for any error; `internal` is true when it is a bug to log (a 500). */
export const answerFor = (error: unknown): ErrorAnswer & { internal: boolean } => {
  if (error instanceof HttpError)
    return {
      statusCode: error.statusCode,
      body: {
        message: error.message,
        code: error.code,
        ...(error.details ? { details: error.details } : {}),
      },
      internal: false,
    };
  if (error instanceof BatonError) {
    const statusCode = BATON_STATUS[error.code] ?? 500;
    return { statusCode, body: { message: error.message, code: error.code }, internal: statusCode === 500 };
  }
  // Fastify's own: schema validation (400), body too large (413), unsupported media type (415)...
  const e = error as { statusCode?: number; message?: string; code?: string; validation?: unknown };
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500)
    return {
      statusCode: e.statusCode,
      body: {
        message: e.message ?? 'bad request',
        code: e.validation ? 'BAD_REQUEST' : (e.code ?? 'BAD_REQUEST'),
      },
      internal: false,
    };
  return { statusCode: 500, body: { message: 'internal error', code: 'INTERNAL' }, internal: true };
};
