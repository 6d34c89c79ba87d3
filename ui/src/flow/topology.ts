/**
 * A flow's topology, read from its YAML as written (it may be half-typed): triggers → start → tasks →
 * end, flowable tasks as groups holding their branches (`then`/`else`, `cases`, `tasks`, `errors`,
 * `finally`), Parallel children side by side, Dag children joined by `dependsOn`. Pure; the editor
 * draws it beside the text and the execution page will color it by state.
 *
 * Node ids are paths in the document (`tasks.0.then.1`): unique even while two tasks share an id, and
 * stable while the user types.
 */

export type NodeKind = 'trigger' | 'start' | 'end' | 'task' | 'group' | 'branch';

export interface TopologyNode {
  id: string;
  kind: NodeKind;
  /** The task or trigger id, or the branch name. */
  label: string;
  /** The task or trigger type, short (`Log` of `io.kestra.plugin.core.log.Log`). */
  type?: string;
  /** The full type, for the title. */
  fullType?: string;
  /** The group holding it. */
  parent?: string;
}

export interface TopologyEdge {
  id: string;
  source: string;
  target: string;
  label?: string;
}

export interface Topology {
  nodes: TopologyNode[];
  edges: TopologyEdge[];
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Child lists drawn as branches inside a flowable task, in this order. */
const BRANCH_LISTS = ['then', 'else', 'defaults', 'errors', 'finally'] as const;

export const shortType = (type: string): string => type.slice(type.lastIndexOf('.') + 1);

const isParallel = (task: Obj): boolean => {
  const type = typeof task.type === 'string' ? shortType(task.type) : '';
  if (type === 'Parallel' || type === 'EachParallel') return true;
  // ForEach runs one value at a time by default (concurrencyLimit 1); 0 means no limit.
  return type === 'ForEach' && typeof task.concurrencyLimit === 'number' && task.concurrencyLimit !== 1;
};

const hasChildren = (task: Obj): boolean =>
  ['tasks', ...BRANCH_LISTS].some((k) => Array.isArray(task[k])) || isObject(task.cases);

class Builder {
  readonly nodes: TopologyNode[] = [];
  readonly edges: TopologyEdge[] = [];
  readonly #edgeIds = new Set<string>();

  edge(source: string, target: string, label?: string): void {
    // A Dag task may list a dependency twice: one edge.
    if (this.#edgeIds.has(`${source}->${target}`)) return;
    this.#edgeIds.add(`${source}->${target}`);
    this.edges.push({ id: `${source}->${target}`, source, target, ...(label ? { label } : {}) });
  }

  node(node: TopologyNode): string {
    this.nodes.push(node);
    return node.id;
  }

  /** A task (a node, or a group with its branches); its id. */
  task(value: unknown, path: string, parent: string | undefined): string {
    const task = isObject(value) ? value : {};
    const fullType = typeof task.type === 'string' ? task.type : '';
    const label = typeof task.id === 'string' && task.id !== '' ? task.id : '(no id)';
    const base = {
      id: path,
      label,
      ...(fullType ? { type: shortType(fullType), fullType } : {}),
      ...(parent ? { parent } : {}),
    };
    if (!hasChildren(task)) return this.node({ ...base, kind: 'task' });
    this.node({ ...base, kind: 'group' });
    if (shortType(fullType) === 'Dag') this.dag(list(task.tasks), `${path}.tasks`, path);
    else if (Array.isArray(task.tasks)) this.chain(task.tasks, `${path}.tasks`, path, isParallel(task));
    if (isObject(task.cases))
      for (const [name, cases] of Object.entries(task.cases))
        this.branch(`case ${name}`, list(cases), `${path}.cases.${name}`, path);
    for (const key of BRANCH_LISTS)
      if (Array.isArray(task[key])) this.branch(key, task[key], `${path}.${key}`, path);
    return path;
  }

  /** A named branch (a group of its own) holding a sequence. */
  branch(name: string, tasks: unknown[], path: string, parent: string | undefined): string {
    this.node({ id: path, kind: 'branch', label: name, ...(parent ? { parent } : {}) });
    this.chain(tasks, path, path, false);
    return path;
  }

  /** Tasks one after the other (or side by side): the first and last ids, to link the sequence. */
  chain(tasks: unknown[], path: string, parent: string | undefined, parallel: boolean): string[] {
    const ids = tasks.map((t, i) => this.task(t, `${path}.${i}`, parent));
    if (!parallel) for (let i = 1; i < ids.length; i++) this.edge(ids[i - 1]!, ids[i]!);
    return ids;
  }

  /** Dag children: `{ task, dependsOn: [ids] }`, edges from each dependency. */
  dag(wrapped: unknown[], path: string, parent: string): void {
    const byTaskId = new Map<string, string>();
    const deps: [string, unknown][] = [];
    wrapped.forEach((w, i) => {
      const entry = isObject(w) ? w : {};
      const id = this.task(entry.task, `${path}.${i}`, parent);
      const taskId = isObject(entry.task) ? entry.task.id : undefined;
      if (typeof taskId === 'string') byTaskId.set(taskId, id);
      deps.push([id, entry.dependsOn]);
    });
    for (const [id, dependsOn] of deps)
      for (const dep of list(dependsOn)) {
        const from = typeof dep === 'string' ? byTaskId.get(dep) : undefined;
        if (from) this.edge(from, id);
      }
  }
}

/** The topology of a parsed flow document (anything: a half-typed document gives what it can). */
export const flowTopology = (doc: unknown): Topology => {
  const flow = isObject(doc) ? doc : {};
  const b = new Builder();
  const start = b.node({ id: 'start', kind: 'start', label: 'start' });
  list(flow.triggers).forEach((t, i) => {
    const trigger = isObject(t) ? t : {};
    const fullType = typeof trigger.type === 'string' ? trigger.type : '';
    const id = b.node({
      id: `triggers.${i}`,
      kind: 'trigger',
      label: typeof trigger.id === 'string' ? trigger.id : '(no id)',
      ...(fullType ? { type: shortType(fullType), fullType } : {}),
    });
    b.edge(id, start);
  });
  const main = b.chain(list(flow.tasks), 'tasks', undefined, false);
  let last = start;
  if (main.length > 0) {
    b.edge(start, main[0]!);
    last = main.at(-1)!;
  }
  if (Array.isArray(flow.finally) && flow.finally.length > 0) {
    const fin = b.branch('finally', flow.finally, 'finally', undefined);
    b.edge(last, fin);
    last = fin;
  }
  const end = b.node({ id: 'end', kind: 'end', label: 'end' });
  b.edge(last, end);
  if (Array.isArray(flow.errors) && flow.errors.length > 0)
    b.branch('errors', flow.errors, 'errors', undefined);
  return { nodes: b.nodes, edges: b.edges };
};
