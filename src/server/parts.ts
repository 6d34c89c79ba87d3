/**
 * Parts of the server beside the API and the engine, each with a start and a stop: the flows folder
 * watcher, the scheduler (schedules, polling and realtime triggers). Started in this order, stopped
 * in the reverse order.
 */
import type { Logger } from 'pino';
import type { Embedded } from '../runtime/embedded.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ServerRole } from './server.ts';

export interface ServerPart {
  name: string;
  stop(): Promise<void>;
}

export interface PartsContext {
  engine: Embedded;
  roles: ReadonlySet<ServerRole>;
  flowsDir?: string;
  log: Logger;
  metrics: ServerMetrics;
}

export const startParts = async (_ctx: PartsContext): Promise<ServerPart[]> => {
  const parts: ServerPart[] = [];
  return parts;
};
