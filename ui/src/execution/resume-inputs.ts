/** The `onResume` inputs of an execution's paused Pause tasks, read from its flow revision. */
import type { Execution, Flow, FlowInput } from '../api/types.ts';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every task of the flow, at any depth (flowable tasks' branches, Dag's wrapped tasks, cases). */
export const allTasks = (flow: Pick<Flow, 'tasks'> & Obj): Obj[] => {
  const out: Obj[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) for (const v of value) visit(v);
    else if (isObject(value)) {
      if (typeof value.id === 'string' && typeof value.type === 'string') out.push(value);
      for (const key of ['tasks', 'then', 'else', 'errors', 'finally', 'defaults', 'task'])
        if (key in value) visit(value[key]);
      if (isObject(value.cases)) for (const c of Object.values(value.cases)) visit(c);
    }
  };
  visit(flow.tasks);
  visit(flow.errors);
  visit(flow.finally);
  return out;
};

export const resumeInputs = (flow: Flow | undefined, execution: Execution): FlowInput[] => {
  if (!flow) return [];
  const byId = new Map(allTasks(flow as Flow & Obj).map((t) => [t.id as string, t]));
  const inputs: FlowInput[] = [];
  for (const tr of execution.taskRunList) {
    if (tr.state.current !== 'PAUSED') continue;
    const onResume = byId.get(tr.taskId)?.onResume;
    if (Array.isArray(onResume)) inputs.push(...(onResume as FlowInput[]));
  }
  return inputs;
};
