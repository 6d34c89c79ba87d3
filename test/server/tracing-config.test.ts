/** When the OTEL_* variables turn traces on, and the ids every process derives alike. */
import { expect, it } from 'vitest';
import {
  executionSpanId,
  parseTraceparent,
  sibling,
  taskRunSpanId,
  tracingWanted,
} from '../../src/tracing/tracing.ts';

it('traces are on only with an OTLP endpoint, and off again with OTEL_SDK_DISABLED or OTEL_TRACES_EXPORTER=none', () => {
  expect(tracingWanted({})).toBe(false);
  expect(tracingWanted({ OTEL_SERVICE_NAME: 'x' })).toBe(false);
  expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' })).toBe(true);
  expect(tracingWanted({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' })).toBe(true);
  expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'TRUE' })).toBe(
    false,
  );
  expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'false' })).toBe(
    true,
  );
  expect(tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' })).toBe(
    false,
  );
  expect(
    tracingWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'console,otlp' }),
  ).toBe(true);
});

it('span ids derived from execution and task run ids are stable, distinct and valid W3C', () => {
  expect(executionSpanId('e1')).toBe(executionSpanId('e1'));
  expect(executionSpanId('e1')).not.toBe(taskRunSpanId('e1'));
  expect(executionSpanId('e1')).toMatch(/^[0-9a-f]{16}$/);
  const parent = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;
  const child = sibling(parent, taskRunSpanId('t1'))!;
  expect(parseTraceparent(child)).toEqual({
    traceId: 'a'.repeat(32),
    spanId: taskRunSpanId('t1'),
    sampled: true,
  });
  expect(sibling('garbage', executionSpanId('e1'))).toBeUndefined();
  expect(parseTraceparent(`00-${'a'.repeat(32)}-${'b'.repeat(16)}-00`)?.sampled).toBe(false);
});
