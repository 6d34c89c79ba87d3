/** kv.Put: merges `value` into the value stored under `key` (see put.ts for the rules). */
import type { RunFunction } from '../context.ts';
import { TaskError } from '../types.ts';

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const deepMerge = (a: Json, b: Json): Json => {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b))
    out[k] = isMap(out[k]) && isMap(v) ? deepMerge(out[k] as Json, v) : v;
  return out;
};

/** `[{key?, value}]` with no other fields: field updates (or one whole replacement). */
const isEntryList = (v: unknown): v is { key?: unknown; value: unknown }[] =>
  Array.isArray(v) &&
  v.length > 0 &&
  v.every((e) => isMap(e) && 'value' in e && Object.keys(e).every((k) => k === 'key' || k === 'value'));

const fail = (message: string): never => {
  throw new TaskError(`kv.Put: ${message}`, { retryable: false });
};

const applyEntries = (existing: unknown, entries: { key?: unknown; value: unknown }[]): unknown => {
  const keyed = entries.filter((e) => e.key !== undefined && e.key !== null);
  if (keyed.length < entries.length) {
    if (entries.length > 1)
      fail('`value` entries without `key` can only be used as a single replacement item');
    return entries[0]!.value;
  }
  let updates: Json = {};
  for (const { key, value } of keyed) {
    if (typeof key !== 'string' || key.trim() === '')
      fail('each keyed `value` entry needs a non-empty string `key`');
    // `nested.field` sets a field of a nested map.
    const nested = String(key)
      .split('.')
      .reduceRight<unknown>((inner, part) => ({ [part]: inner }), value) as Json;
    updates = deepMerge(updates, nested);
  }
  if (existing === undefined || existing === null) return updates;
  if (!isMap(existing)) fail('cannot apply keyed `value` updates to a value that is not a JSON map');
  return deepMerge(existing as Json, updates);
};

export const run: RunFunction<{
  key: string;
  value: unknown;
  namespace?: string;
  errorOnMissing?: boolean;
}> = async (ctx, props) => {
  const namespace = props.namespace || ctx.flow.namespace;
  const current = await ctx.store.kvGet(namespace, props.key);
  if (!current && props.errorOnMissing)
    fail(`no value found for key '${props.key}' in namespace '${namespace}' and errorOnMissing is true`);
  const value = isEntryList(props.value)
    ? applyEntries(current?.value, props.value)
    : isMap(current?.value) && isMap(props.value)
      ? deepMerge(current.value as Json, props.value)
      : props.value;
  // The entry keeps its expiry, as Kestra keeps its metadata.
  const ttlMs = current?.expiresAt ? Math.max(0, Date.parse(current.expiresAt) - Date.now()) : undefined;
  await ctx.store.kvSet(namespace, props.key, value ?? null, ttlMs === undefined ? {} : { ttlMs });
  return { outputs: {} };
};
