/**
 * Traces (OpenTelemetry), off unless the standard OTEL_* variables ask for them. This module is the only
 * one the rest of Baton imports: it never loads the OpenTelemetry SDK itself. `startTracing` imports
 * `./otel.ts` (the SDK and the OTLP exporter) only when tracing is on, so that a Baton without OTEL_*
 * starts as fast and weighs as little as one built without traces.
 *
 * Spans cross processes through the queue: a message's payload carries a W3C `traceparent` (the
 * execution's span context) rather than a column of its own, so no store changes. Spans that outlive
 * one process (an execution, a task run) are written once they end, by the process that sees the end,
 * with their start time taken from the execution and a span id derived from the execution's (or task
 * run's) id — so that a process that never saw their start can still make children of them (see
 * docs/ARCHITECTURE.md, "Traces").
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';

export type SpanKind = 'internal' | 'server' | 'client' | 'producer' | 'consumer';
export type SpanAttributes = Record<string, string | number | boolean | undefined>;

export interface SpanOptions {
  name: string;
  kind?: SpanKind;
  /** W3C traceparent of the parent; none starts a new trace. */
  parent?: string;
  /** A span id decided beforehand (16 hex digits): for spans other processes make children of. */
  spanId?: string;
  /** Epoch milliseconds; default now. */
  startTime?: number;
  attributes?: SpanAttributes;
  /** W3C traceparents of related spans. */
  links?: string[];
}

export interface SpanEnd {
  attributes?: SpanAttributes;
  /** Marks the span as failed, with why. */
  error?: string;
}

export interface TraceSpan {
  /** This span's context as a W3C traceparent (undefined when tracing is off). */
  readonly traceparent: string | undefined;
  end(end?: SpanEnd): void;
}

/** What `./otel.ts` gives: spans made with the SDK, and a flush of what is not exported yet. */
export interface SpanFactory {
  startSpan(options: SpanOptions): TraceSpan;
  shutdown(): Promise<void>;
}

export interface TracingConfig {
  serviceName: string;
  instanceId: string;
}

const NOOP_SPAN: TraceSpan = { traceparent: undefined, end: () => undefined };

let factory: SpanFactory | undefined;
const requestContext = new AsyncLocalStorage<string>();

/** Whether OTEL_* variables turn traces on (the OTLP exporter reads its endpoint from them itself). */
export const tracingWanted = (env: NodeJS.ProcessEnv = process.env): boolean => {
  if ((env.OTEL_SDK_DISABLED ?? '').trim().toLowerCase() === 'true') return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? 'otlp').split(',').map((s) => s.trim().toLowerCase());
  if (!exporters.includes('otlp')) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
};

/**
 * Turns traces on when OTEL_* asks for it; returns whether it did. `instanceId` is this process's
 * owner id (service.instance.id), the one its queue claims are made under.
 */
export const startTracing = async (
  instanceId: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> => {
  if (factory) return true;
  if (!tracingWanted(env)) return false;
  const { createSpanFactory } = await import('./otel.ts');
  factory = createSpanFactory({ serviceName: env.OTEL_SERVICE_NAME || 'baton', instanceId });
  return true;
};

/** Exports the spans not sent yet and turns traces off. */
export const stopTracing = async (): Promise<void> => {
  const f = factory;
  factory = undefined;
  await f?.shutdown();
};

export const tracingOn = (): boolean => factory !== undefined;

export const startSpan = (options: SpanOptions): TraceSpan =>
  factory ? factory.startSpan(options) : NOOP_SPAN;

/** Runs the rest of the current request with `traceparent` as the parent of what it starts. */
export const enterRequestContext = (traceparent: string | undefined): void => {
  if (traceparent) requestContext.enterWith(traceparent);
};

export const currentTraceparent = (): string | undefined => (factory ? requestContext.getStore() : undefined);

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export const parseTraceparent = (
  value: unknown,
): { traceId: string; spanId: string; sampled: boolean } | undefined => {
  const m = typeof value === 'string' ? TRACEPARENT.exec(value) : null;
  return m ? { traceId: m[1]!, spanId: m[2]!, sampled: (Number.parseInt(m[3]!, 16) & 1) === 1 } : undefined;
};

export const formatTraceparent = (traceId: string, spanId: string): string => `00-${traceId}-${spanId}-01`;

/** A span id derived from a key: the same in every process, never all zeros. */
export const derivedSpanId = (key: string): string => {
  const id = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return /^0+$/.test(id) ? '0000000000000001' : id;
};

export const executionSpanId = (executionId: string): string => derivedSpanId(`execution:${executionId}`);
export const creationSpanId = (executionId: string): string => derivedSpanId(`create:${executionId}`);
export const taskRunSpanId = (taskRunId: string): string => derivedSpanId(`taskrun:${taskRunId}`);

/** The traceparent of a span of the same trace as `traceparent`, with another span id. */
export const sibling = (traceparent: string | undefined, spanId: string): string | undefined => {
  const parsed = parseTraceparent(traceparent);
  return parsed ? formatTraceparent(parsed.traceId, spanId) : undefined;
};

export const randomSpanId = (): string => randomBytes(8).toString('hex');
