/**
 * Flow rules no JSON Schema can express: unique ids across nesting levels, Dag dependencies, Switch and
 * WorkingDirectory constraints, recursive subflows, system labels. Messages follow Kestra's wording (its
 * tests assert substrings of them), each followed by what to do.
 */
import { builtinTasks, type TaskRegistry } from '../tasks/registry.ts';
import { childPath, errorAt, type SourceMap } from './source-map.ts';
import type { Flow, FlowError, Task } from './types.ts';
import { allTasks, childTasks } from './walk.ts';

const FLOW = 'io.kestra.plugin.core.flow';
const DAG = `${FLOW}.Dag`;
const SWITCH = `${FLOW}.Switch`;
const WORKING_DIRECTORY = `${FLOW}.WorkingDirectory`;
/** Task types that start an execution of another flow, named by `namespace` + `flowId`. */
const SUBFLOW_TYPES = new Set([`${FLOW}.Subflow`, `${FLOW}.Flow`, `${FLOW}.ForEachItem`]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Ids appearing more than once, in order of first appearance, and the path of the first repeat. */
const duplicates = (items: { id: unknown; path: string }[]): { ids: string[]; firstRepeat?: string } => {
  const seen = new Set<string>();
  const ids: string[] = [];
  let firstRepeat: string | undefined;
  for (const { id, path } of items) {
    if (typeof id !== 'string') continue;
    if (seen.has(id)) {
      if (!ids.includes(id)) ids.push(id);
      firstRepeat ??= path;
    } else seen.add(id);
  }
  return firstRepeat ? { ids, firstRepeat } : { ids };
};

const uniqueIds = (flow: Flow, map: SourceMap): FlowError[] => {
  const errors: FlowError[] = [];
  const tasks = duplicates(allTasks(flow).map((t) => ({ id: t.task.id, path: childPath(t.path, 'id') })));
  if (tasks.firstRepeat) {
    errors.push(
      errorAt(
        map,
        tasks.firstRepeat,
        `Duplicate task id with name [${tasks.ids.join(', ')}]: task ids must be unique in the whole flow, at every nesting level`,
      ),
    );
  }
  const triggers = duplicates(
    (Array.isArray(flow.triggers) ? flow.triggers : []).map((t, i) => ({
      id: isObject(t) ? t.id : undefined,
      path: `triggers[${i}].id`,
    })),
  );
  if (triggers.firstRepeat) {
    errors.push(
      errorAt(
        map,
        triggers.firstRepeat,
        `Duplicate trigger id with name [${triggers.ids.join(', ')}]: trigger ids must be unique in the flow`,
      ),
    );
  }
  return errors;
};

/** Kestra's FlowValidator lets a user mark a flow read-only (UI editing off): the one system label allowed. */
const USER_SETTABLE_SYSTEM_LABEL = 'system.readOnly';

const systemLabels = (flow: Flow, map: SourceMap): FlowError[] => {
  const labels = flow.labels;
  const entries: { key: string; value: unknown; path: string }[] = Array.isArray(labels)
    ? labels.flatMap((l, i) =>
        isObject(l) && typeof l.key === 'string'
          ? [{ key: l.key, value: l.value, path: `labels[${i}].key` }]
          : [],
      )
    : isObject(labels)
      ? Object.entries(labels).map(([key, value]) => ({ key, value, path: childPath('labels', key) }))
      : [];
  return entries
    .filter((l) => l.key.startsWith('system.') && l.key !== USER_SETTABLE_SYSTEM_LABEL)
    .map((l) =>
      errorAt(
        map,
        l.path,
        `System labels can only be set by Kestra itself, offending label: ${l.key}=${String(l.value)}; use a key without the \`system.\` prefix`,
        true,
      ),
    );
};

/** The ids of a Dag's tasks on a dependency cycle, in declaration order. */
const cyclicIds = (deps: Map<string, string[]>): string[] => {
  const reaches = (from: string, target: string): boolean => {
    const stack = [...(deps.get(from) ?? [])];
    const seen = new Set<string>();
    while (stack.length > 0) {
      const n = stack.pop() as string;
      if (n === target) return true;
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(...(deps.get(n) ?? []));
    }
    return false;
  };
  return [...deps.keys()].filter((id) => reaches(id, id));
};

const dagRules = (task: Task, path: string, map: SourceMap): FlowError[] => {
  if (!Array.isArray(task.tasks)) return [];
  const errors: FlowError[] = [];
  const deps = new Map<string, string[]>();
  for (const item of task.tasks) {
    if (isObject(item) && isObject(item.task) && typeof item.task.id === 'string') {
      deps.set(
        item.task.id,
        Array.isArray(item.dependsOn) ? item.dependsOn.filter((d) => typeof d === 'string') : [],
      );
    }
  }
  task.tasks.forEach((item, i) => {
    if (!isObject(item) || !Array.isArray(item.dependsOn)) return;
    item.dependsOn.forEach((d, j) => {
      if (typeof d === 'string' && !deps.has(d)) {
        errors.push(
          errorAt(
            map,
            `${path}.tasks[${i}].dependsOn[${j}]`,
            `${task.id}: Not existing task id in dependency: ${d}; name a task of this Dag (${[...deps.keys()].join(', ')})`,
          ),
        );
      }
    });
  });
  const cycle = cyclicIds(deps);
  if (cycle.length > 0) {
    errors.push(
      errorAt(
        map,
        `${path}.tasks`,
        `${task.id}: Cyclic dependency detected: ${cycle.join(', ')}; remove one of these dependencies`,
      ),
    );
  }
  return errors;
};

const nonEmptyList = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

const switchRules = (task: Task, path: string, map: SourceMap): FlowError[] => {
  const cases = isObject(task.cases) ? Object.values(task.cases) : [];
  if (cases.some(nonEmptyList) || nonEmptyList(task.defaults)) return [];
  return [
    errorAt(
      map,
      path,
      `${task.id}: No task defined, neither cases or default have any tasks; add tasks under \`cases\` or \`defaults\``,
    ),
  ];
};

const workingDirectoryRules = (
  task: Task,
  path: string,
  map: SourceMap,
  registry: TaskRegistry,
): FlowError[] => {
  if (!nonEmptyList(task.tasks)) {
    return [errorAt(map, childPath(path, 'tasks'), `${task.id}: The 'tasks' property cannot be empty`)];
  }
  return childTasks(task)
    .filter(
      (c) => c.property === 'tasks' && typeof c.task.type === 'string' && !registry.isRunnable(c.task.type),
    )
    .map((c) =>
      errorAt(
        map,
        `${path}.${c.path}`,
        `${task.id}: Only runnable tasks are allowed as children of a WorkingDirectory task; ${String(c.task.id)} is a flowable task`,
      ),
    );
};

const recursiveCall = (flow: Flow, task: Task, path: string, map: SourceMap): FlowError[] => {
  if (task.namespace !== flow.namespace || task.flowId !== flow.id) return [];
  return [
    errorAt(
      map,
      path,
      `Invalid Flow: Recursive call to flow [${flow.namespace}.${flow.id}]; a flow cannot start itself as a subflow`,
    ),
  ];
};

export const flowRules = (flow: Flow, map: SourceMap, registry: TaskRegistry = builtinTasks): FlowError[] => {
  const errors = [...uniqueIds(flow, map), ...systemLabels(flow, map)];
  for (const { task, path } of allTasks(flow)) {
    if (task.type === DAG) errors.push(...dagRules(task, path, map));
    else if (task.type === SWITCH) errors.push(...switchRules(task, path, map));
    else if (task.type === WORKING_DIRECTORY)
      errors.push(...workingDirectoryRules(task, path, map, registry));
    else if (SUBFLOW_TYPES.has(task.type)) errors.push(...recursiveCall(flow, task, path, map));
  }
  return errors;
};
