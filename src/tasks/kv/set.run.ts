/**
 * kv.Set: stores `value` under `key` in `namespace` (default: the flow's). `kvType` converts the value
 * (NUMBER, BOOLEAN, JSON...), `ttl` makes it expire, `overwrite: false` refuses to replace a value.
 */

import type { RunFunction } from '../context.ts';
import { parseDuration } from '../duration.ts';
import { TaskError } from '../types.ts';

const convert = (value: unknown, kvType: string | undefined): unknown => {
  const bad = () =>
    new TaskError(`kv.Set: value ${JSON.stringify(value)} is not a valid ${kvType}`, { retryable: false });
  switch (kvType) {
    case undefined:
      return value;
    case 'STRING':
      return typeof value === 'string' ? value : JSON.stringify(value);
    case 'NUMBER': {
      const n = typeof value === 'number' ? value : Number(String(value).trim());
      if (Number.isNaN(n) || String(value).trim() === '') throw bad();
      return n;
    }
    case 'BOOLEAN':
      if (typeof value === 'boolean') return value;
      if (String(value).toLowerCase() === 'true') return true;
      if (String(value).toLowerCase() === 'false') return false;
      throw bad();
    case 'JSON':
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        throw bad();
      }
    case 'DATETIME':
    case 'DATE':
      if (Number.isNaN(Date.parse(String(value)))) throw bad();
      return String(value);
    case 'DURATION':
      parseDuration(String(value), 'DURATION value');
      return String(value);
    default:
      throw new TaskError(`kv.Set: unknown kvType ${kvType}`, { retryable: false });
  }
};

export const run: RunFunction<{
  key: string;
  value: unknown;
  namespace?: string;
  overwrite?: boolean;
  ttl?: string;
  kvType?: string;
}> = async (ctx, props) => {
  const namespace = props.namespace || ctx.flow.namespace;
  const value = convert(props.value, props.kvType);
  const ttlMs = props.ttl ? parseDuration(String(props.ttl), 'ttl') : undefined;
  const written = await ctx.store.kvSet(namespace, props.key, value, {
    ttlMs,
    overwrite: props.overwrite ?? true,
  });
  if (!written) {
    throw new TaskError(
      `Cannot set value for key '${props.key}'. Key already exists and \`overwrite\` is set to \`false\`.`,
      { retryable: false },
    );
  }
  return {};
};
