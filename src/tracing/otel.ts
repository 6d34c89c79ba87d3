/**
 * The OpenTelemetry side of tracing.ts, imported only when traces are on: a tracer provider exporting
 * over OTLP/HTTP (endpoint, headers, protocol and batching from the OTEL_* variables, read by the
 * exporter and the batch processor themselves).
 */
import { hostname } from 'node:os';
import {
  type Context,
  type Link,
  ROOT_CONTEXT,
  type SpanContext,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, RandomIdGenerator } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import pkg from '../../package.json' with { type: 'json' };
import {
  formatTraceparent,
  type SpanKind as Kind,
  parseTraceparent,
  type SpanAttributes,
  type SpanFactory,
  type SpanOptions,
  type TraceSpan,
  type TracingConfig,
} from './tracing.ts';

const KINDS: Record<Kind, SpanKind> = {
  internal: SpanKind.INTERNAL,
  server: SpanKind.SERVER,
  client: SpanKind.CLIENT,
  producer: SpanKind.PRODUCER,
  consumer: SpanKind.CONSUMER,
};

/**
 * Random ids, except for the one span being started with an id decided beforehand (derived from an
 * execution's or a task run's id): the SDK asks for the span id synchronously inside `startSpan`.
 */
class IdGenerator extends RandomIdGenerator {
  forcedSpanId: string | undefined;
  constructor() {
    super();
    const random = this.generateSpanId;
    this.generateSpanId = () => {
      const forced = this.forcedSpanId;
      this.forcedSpanId = undefined;
      return forced ?? random();
    };
  }
}

const remoteContext = (traceparent: string | undefined): SpanContext | undefined => {
  const parsed = parseTraceparent(traceparent);
  return parsed
    ? {
        traceId: parsed.traceId,
        spanId: parsed.spanId,
        traceFlags: parsed.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
        isRemote: true,
      }
    : undefined;
};

const defined = (attributes: SpanAttributes | undefined): Record<string, string | number | boolean> => {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(attributes ?? {})) if (v !== undefined) out[k] = v;
  return out;
};

export const createSpanFactory = (config: TracingConfig): SpanFactory => {
  const ids = new IdGenerator();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: config.serviceName,
      // service.instance.id and host.name are still "incubating" in the conventions package.
      'service.instance.id': config.instanceId,
      'service.version': pkg.version,
      'host.name': hostname(),
    }),
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  const tracer = provider.getTracer('baton', pkg.version);
  return {
    startSpan(options: SpanOptions): TraceSpan {
      const parent = remoteContext(options.parent);
      const ctx: Context = parent ? trace.setSpanContext(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
      const links: Link[] = [];
      for (const l of options.links ?? []) {
        const linked = remoteContext(l);
        if (linked) links.push({ context: linked });
      }
      ids.forcedSpanId = options.spanId;
      const span = tracer.startSpan(
        options.name,
        {
          kind: KINDS[options.kind ?? 'internal'],
          attributes: defined(options.attributes),
          startTime: options.startTime,
          links,
        },
        ctx,
      );
      ids.forcedSpanId = undefined;
      const sc = span.spanContext();
      return {
        traceparent: formatTraceparent(sc.traceId, sc.spanId),
        end(end = {}) {
          span.setAttributes(defined(end.attributes));
          if (end.error) span.setStatus({ code: SpanStatusCode.ERROR, message: end.error });
          span.end();
        },
      };
    },
    shutdown: () => provider.shutdown(),
  };
};
