/**
 * Flow YAML → flow model: syntax and duplicate keys checked, `null` properties dropped (Kestra reads them as
 * absent), old input `name` read as `id`, task / trigger / condition types resolved to their canonical names,
 * flow `pluginDefaults` applied. Schema and rule checks are in `validate.ts`.
 */
import { builtinTasks, type TaskRegistry } from '../tasks/registry.ts';
import { applyPluginDefaults } from './defaults.ts';
import { errorAt, parseYaml, type SourceMap } from './source-map.ts';
import type { Condition, Flow, FlowError, Task, Trigger } from './types.ts';
import { allTasks } from './walk.ts';

export interface ParsedFlow {
  /** The flow as written (with defaults applied); present whenever the document is a YAML map. */
  flow?: Flow;
  errors: FlowError[];
  /** Positions of the document's values, for later error messages. */
  sourceMap: SourceMap;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const dropNulls = (o: unknown): void => {
  if (!isObject(o)) return;
  for (const [k, v] of Object.entries(o)) if (v === null) delete o[k];
};

/** Sets `type` to the canonical name, keeping the written one in `sourceType` when it is an alias. */
const resolveType = (o: { type?: unknown; sourceType?: string }, registry: TaskRegistry): void => {
  if (typeof o.type !== 'string') return;
  const canonical = registry.canonical(o.type);
  if (canonical && canonical !== o.type) {
    o.sourceType = o.type;
    o.type = canonical;
  }
};

/** Conditions may nest (`MultipleCondition.conditions` map, `Not`/`Or` lists). */
const visitConditions = (list: unknown, visit: (c: Condition) => void): void => {
  const items = Array.isArray(list) ? list : isObject(list) ? Object.values(list) : [];
  for (const c of items) {
    if (!isObject(c)) continue;
    visit(c as Condition);
    visitConditions(c.conditions, visit);
  }
};

/** Every trigger and condition of the flow (listener conditions included). */
const triggersAndConditions = (flow: Flow): (Trigger | Condition)[] => {
  const out: (Trigger | Condition)[] = [];
  const push = (c: Condition) => out.push(c);
  if (Array.isArray(flow.triggers)) {
    for (const t of flow.triggers) {
      if (!isObject(t)) continue;
      out.push(t);
      visitConditions(t.conditions, push);
      visitConditions(t.scheduleConditions, push);
    }
  }
  if (Array.isArray(flow.listeners)) {
    for (const l of flow.listeners) if (isObject(l)) visitConditions(l.conditions, push);
  }
  return out;
};

export const parseFlow = (
  source: string,
  file: string,
  registry: TaskRegistry = builtinTasks,
): ParsedFlow => {
  const { value, map, errors } = parseYaml(source, file);
  if (value === undefined && errors.length > 0) return { errors, sourceMap: map };
  if (!isObject(value)) {
    errors.push(
      errorAt(map, '', 'a flow document must be a YAML map with at least `id`, `namespace` and `tasks`'),
    );
    return { errors, sourceMap: map };
  }
  const flow = value as unknown as Flow;
  dropNulls(flow);
  if (Array.isArray(flow.inputs)) {
    for (const input of flow.inputs) {
      dropNulls(input);
      // `name` is the pre-0.15 spelling of `id`.
      if (isObject(input) && input.id === undefined && typeof input.name === 'string') {
        input.id = input.name;
        delete input.name;
      }
    }
  }
  for (const { task } of allTasks(flow)) {
    dropNulls(task);
    resolveType(task as Task, registry);
  }
  for (const o of triggersAndConditions(flow)) {
    dropNulls(o);
    resolveType(o, registry);
  }
  errors.push(...applyPluginDefaults(flow, map));
  return { flow, errors, sourceMap: map };
};
