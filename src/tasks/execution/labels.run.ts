/** Labels: adds or replaces execution labels; accepts a map, a list of {key, value}, or a JSON string. */

import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

const toLabels = (value: unknown): { key: string; value: string }[] => {
  if (typeof value === 'string') {
    try {
      return toLabels(JSON.parse(value));
    } catch (e) {
      if (e instanceof TaskError) throw e;
      throw new TaskError(`labels: '${value}' is not JSON (a map or a list of {key, value})`, {
        retryable: false,
      });
    }
  }
  const asString = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (Array.isArray(value)) {
    return value.map((item) => {
      const entry = item as { key?: unknown; value?: unknown };
      if (!item || typeof item !== 'object' || typeof entry.key !== 'string') {
        throw new TaskError('labels: each list item needs a string `key` and a `value`', {
          retryable: false,
        });
      }
      return { key: entry.key, value: asString(entry.value) };
    });
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).map(([key, v]) => ({ key, value: asString(v) }));
  }
  throw new TaskError('labels: expected a map, a list of {key, value} or a JSON string', {
    retryable: false,
  });
};

export const run: RunFunction<{ labels: unknown }> = async (ctx, props) => {
  const labels = await Promise.all(
    toLabels(props.labels).map(async (l) => ({
      // Map keys are templates too in Kestra (`"{{ inputs.key }}": value`); the renderer only renders values.
      key: l.key.includes('{{') || l.key.includes('{%') ? await ctx.renderStringAsync(l.key) : l.key,
      value: l.value,
    })),
  );
  return { effects: [{ kind: 'labels', labels }] };
};
