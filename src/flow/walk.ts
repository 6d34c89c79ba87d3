/**
 * Generic traversal of the tasks of a flow, at every nesting level. Which properties of a task hold child
 * tasks comes from its type definition (`children`), so no per-type code is needed here.
 */
import { findDefinition } from '../tasks/registry.ts';
import type { TaskDefinition } from '../tasks/types.ts';
import { childPath } from './source-map.ts';
import type { Flow, Task } from './types.ts';

/** A child task of a task, with where it sits relative to its parent (`tasks[0]`, `cases.A[1]`, `then[0]`). */
export interface ChildTask {
  task: Task;
  /** The property of the parent holding it (`tasks`, `cases`, `errors`...). */
  property: string;
  /** Path relative to the parent, e.g. `cases.FIRST[0]` or `tasks[2].task` (Dag items wrap their task). */
  path: string;
}

/** A task anywhere in a flow. */
export interface FlowTask {
  task: Task;
  /** The flowable task holding it; undefined for tasks listed directly in the flow. */
  parent?: Task;
  /** Full property path from the flow document root, e.g. `tasks[3].tasks[0]`. */
  path: string;
  /** Flow-level list the task belongs to, at whatever depth. */
  section: 'tasks' | 'errors' | 'finally' | 'afterExecution' | 'listeners';
}

/** `wrapped`: lists whose items hold their task under a key (Dag: `tasks[i].task`). */
type Children = NonNullable<TaskDefinition['children']> & { wrapped?: { list: string; key: string }[] };

/** Used when a type is unknown (already reported as an error) so that its children are still checked. */
const GUESSED_CHILDREN: Children = {
  lists: ['tasks', 'errors', 'finally', 'then', 'else', 'defaults'],
  maps: ['cases'],
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list item is a task, or (Dag) a wrapper `{ task, dependsOn }` around one. */
const unwrap = (item: unknown, path: string): { task: Task; path: string } | undefined => {
  if (!isObject(item)) return undefined;
  if (item.type === undefined && isObject(item.task))
    return { task: item.task as Task, path: `${path}.task` };
  return { task: item as Task, path };
};

/** The direct children of a task, in declaration order of its child properties. */
export const childTasks = (task: Task): ChildTask[] => {
  const def = typeof task.type === 'string' ? findDefinition(task.type) : undefined;
  const children: Children = def ? (def.children ?? {}) : GUESSED_CHILDREN;
  const out: ChildTask[] = [];
  const pushList = (property: string, list: unknown, base: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      const c = unwrap(item, childPath(base, i));
      if (c) out.push({ property, ...c });
    });
  };
  for (const property of children.lists ?? []) pushList(property, task[property], property);
  for (const property of children.maps ?? []) {
    const m = task[property];
    if (!isObject(m)) continue;
    for (const [key, list] of Object.entries(m)) pushList(property, list, childPath(property, key));
  }
  for (const { list, key } of children.wrapped ?? []) {
    const items = task[list];
    if (!Array.isArray(items)) continue;
    items.forEach((item, i) => {
      if (isObject(item) && isObject(item[key])) {
        out.push({ property: list, task: item[key] as Task, path: `${childPath(list, i)}.${key}` });
      }
    });
  }
  for (const property of children.single ?? []) {
    const c = unwrap(task[property], property);
    if (c) out.push({ property, ...c });
  }
  return out;
};

const SECTIONS = ['tasks', 'errors', 'finally', 'afterExecution'] as const;

/** Every task of the flow, depth first in declaration order: `tasks`, `errors`, `finally`, `afterExecution`, then deprecated `listeners`. */
export const allTasks = (flow: Flow): FlowTask[] => {
  const out: FlowTask[] = [];
  const visit = (task: Task, path: string, section: FlowTask['section'], parent?: Task): void => {
    out.push(parent ? { task, parent, path, section } : { task, path, section });
    for (const c of childTasks(task)) visit(c.task, `${path}.${c.path}`, section, task);
  };
  for (const section of SECTIONS) {
    const list = flow[section];
    if (!Array.isArray(list)) continue;
    list.forEach((t, i) => {
      if (isObject(t)) visit(t, childPath(section, i), section);
    });
  }
  const listeners = flow.listeners;
  if (Array.isArray(listeners)) {
    listeners.forEach((l, li) => {
      if (!isObject(l) || !Array.isArray(l.tasks)) return;
      l.tasks.forEach((t, i) => {
        if (isObject(t)) visit(t, `listeners[${li}].tasks[${i}]`, 'listeners');
      });
    });
  }
  return out;
};

/** The task with this id, at any nesting level. */
export const findTask = (flow: Flow, id: string): FlowTask | undefined =>
  allTasks(flow).find((t) => t.task.id === id);
