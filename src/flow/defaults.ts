/**
 * Flow `pluginDefaults` (and their deprecated spelling `taskDefaults`): values merged into the tasks and
 * triggers of a matching type. A value written on the task wins, unless the default is `forced: true`.
 * Maps are merged key by key; other values are replaced as a whole.
 */
import { canonicalType } from '../tasks/registry.ts';
import { errorAt, type SourceMap } from './source-map.ts';
import type { Flow, FlowError } from './types.ts';
import { allTasks } from './walk.ts';

interface PluginDefault {
  type: string;
  forced?: boolean;
  values: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `target` wins over `source` except when `force`; nested maps are merged. Returns a new object. */
export const mergeValues = (
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  force: boolean,
): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...target };
  for (const [k, v] of Object.entries(source)) {
    const existing = out[k];
    if (isObject(existing) && isObject(v)) out[k] = mergeValues(existing, v, force);
    else if (existing === undefined || force) out[k] = structuredClone(v);
  }
  return out;
};

/**
 * Whether a default applies to a type: same type once aliases are resolved, or a package prefix
 * (`io.kestra.plugin.scripts` applies to every type of that package and below).
 */
export const defaultMatches = (defaultType: string, type: string, sourceType?: string): boolean => {
  const canonical = canonicalType(defaultType) ?? defaultType;
  if (canonical === type || defaultType === sourceType) return true;
  const prefix = defaultType.endsWith('.') ? defaultType : `${defaultType}.`;
  return type.startsWith(prefix) || (sourceType?.startsWith(prefix) ?? false);
};

const readDefaults = (flow: Flow, map: SourceMap, errors: FlowError[]): PluginDefault[] => {
  const out: PluginDefault[] = [];
  for (const key of ['pluginDefaults', 'taskDefaults'] as const) {
    const list = (flow as unknown as Record<string, unknown>)[key];
    if (!Array.isArray(list)) continue;
    list.forEach((d, i) => {
      // Shape errors are reported by the validator; here only usable entries are applied.
      if (isObject(d) && typeof d.type === 'string' && isObject(d.values)) {
        out.push({ type: d.type, forced: d.forced === true, values: d.values });
      } else if (isObject(d) && d.values !== undefined && !isObject(d.values)) {
        errors.push(errorAt(map, `${key}[${i}].values`, 'must be a map of property values'));
      }
    });
  }
  return out;
};

/** Applies the flow's plugin defaults in place; returns problems found on the defaults themselves. */
export const applyPluginDefaults = (flow: Flow, map: SourceMap): FlowError[] => {
  const errors: FlowError[] = [];
  const defaults = readDefaults(flow, map, errors);
  if (defaults.length === 0) return errors;
  const apply = (o: Record<string, unknown>): void => {
    if (typeof o.type !== 'string') return;
    const sourceType = typeof o.sourceType === 'string' ? o.sourceType : undefined;
    let merged = o;
    // Non-forced: the first matching default wins over later ones. Forced: the last one wins.
    for (const d of defaults) {
      if (!d.forced && defaultMatches(d.type, o.type, sourceType))
        merged = mergeValues(merged, d.values, false);
    }
    for (const d of defaults) {
      if (d.forced && defaultMatches(d.type, o.type, sourceType))
        merged = mergeValues(merged, d.values, true);
    }
    // Identity properties are never taken from defaults.
    if (o.id === undefined) delete merged.id;
    else merged.id = o.id;
    merged.type = o.type;
    if (merged !== o) Object.assign(o, merged);
  };
  for (const { task } of allTasks(flow)) apply(task);
  if (Array.isArray(flow.triggers)) for (const t of flow.triggers) if (isObject(t)) apply(t);
  return errors;
};
