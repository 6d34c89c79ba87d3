/**
 * Completion inside `{{ }}` expressions of a flow's YAML: after `inputs.` the flow's input ids, after
 * `vars.` its variables' keys, after `outputs.` its task ids, and after `outputs.<taskId>.` that task's
 * output names. Pure (text and cursor offset in, items out), tested in expression-completion.test.ts;
 * monaco.ts registers it with the editor.
 */
import { parse } from 'yaml';

export interface ExpressionItem {
  label: string;
  /** What kind of thing it is (an input's type, `variable`, a task's type, `output`). */
  detail: string;
}

export interface ExpressionCompletion {
  items: ExpressionItem[];
  /** Where the word being completed starts (offset in the text): the completion replaces from there. */
  from: number;
}

/**
 * The outputs of the task types that have some, by type (short or full name). The flow JSON Schema
 * describes properties only, not outputs: this table follows each type's documentation (`baton docs`).
 */
const OUTPUTS: Record<string, string[]> = {
  'core.debug.Return': ['value'],
  'core.output.OutputValues': ['values'],
  'core.http.Request': ['code', 'headers', 'body', 'uri'],
  'core.http.Download': ['uri', 'code', 'length', 'headers'],
  'core.storage.Write': ['uri', 'size'],
  'core.storage.Concat': ['uri'],
  'core.storage.Split': ['uris'],
  'core.storage.Size': ['size'],
  'core.kv.Get': ['value'],
  'core.kv.GetKeys': ['keys'],
  'core.flow.Subflow': ['executionId', 'state', 'outputs'],
  'core.flow.Pause': ['onResume', 'resumed'],
  'core.execution.Count': ['results', 'total'],
  'core.log.Fetch': ['uri', 'size'],
  'scripts.shell.Commands': ['exitCode', 'vars', 'outputFiles'],
  'scripts.shell.Script': ['exitCode', 'vars', 'outputFiles'],
  'scripts.python.Commands': ['exitCode', 'vars', 'outputFiles'],
  'scripts.python.Script': ['exitCode', 'vars', 'outputFiles'],
  'scripts.node.Commands': ['exitCode', 'vars', 'outputFiles'],
  'scripts.node.Script': ['exitCode', 'vars', 'outputFiles'],
  'jdbc.postgresql.Query': ['row', 'rows', 'size', 'uri'],
  'jdbc.mysql.Query': ['row', 'rows', 'size', 'uri'],
  'jdbc.sqlite.Query': ['row', 'rows', 'size', 'uri'],
  'amqp.Consume': ['uri', 'count'],
  'mqtt.Subscribe': ['uri', 'count'],
  'nats.Consume': ['uri', 'count'],
  'redis.string.Get': ['data'],
  'redis.list.ListPop': ['uri', 'count'],
};

/** A task type's outputs: `io.kestra.plugin.core.http.Request` and its table key `core.http.Request`. */
export const outputsOf = (type: string): string[] => {
  const key = type.replace(/^io\.kestra\.plugin\./, '');
  return OUTPUTS[key] ?? [];
};

interface Node {
  id?: unknown;
  type?: unknown;
  [key: string]: unknown;
}

/** Every task of the flow (nested ones included): any object with a string `id` and `type` under `tasks`-like lists. */
const tasksOf = (flow: Record<string, unknown>): { id: string; type: string }[] => {
  const found: { id: string; type: string }[] = [];
  const walk = (value: unknown, depth: number) => {
    if (depth > 20 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) walk(v, depth + 1);
      return;
    }
    const node = value as Node;
    if (typeof node.id === 'string' && typeof node.type === 'string' && depth > 0)
      found.push({ id: node.id, type: node.type });
    for (const [key, child] of Object.entries(node))
      if (key !== 'triggers' && key !== 'inputs') walk(child, depth + 1);
  };
  for (const key of ['tasks', 'errors', 'finally', 'afterExecution']) walk(flow[key], 1);
  return found;
};

const parsed = (source: string): Record<string, unknown> | undefined => {
  try {
    const value = parse(source, { strict: false, uniqueKeys: false }) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
};

/**
 * The flow as far as it parses. The line being typed is often unfinished (an open quote): without it,
 * the rest of the flow usually parses.
 */
const flowOf = (source: string, offset: number): Record<string, unknown> => {
  const whole = parsed(source);
  if (whole) return whole;
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  const end = source.indexOf('\n', offset);
  return parsed(source.slice(0, start) + (end < 0 ? '' : source.slice(end + 1))) ?? {};
};

/** The completion at `offset` of `source`, or undefined when the cursor is not after one of the prefixes inside `{{ }}`. */
export const expressionCompletion = (source: string, offset: number): ExpressionCompletion | undefined => {
  const before = source.slice(0, offset);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open) >= 0) return undefined;
  const m = /\b(inputs|vars|outputs)\.(?:([A-Za-z0-9_-]+)\.)?([A-Za-z0-9_-]*)$/.exec(before.slice(open));
  if (!m) return undefined;
  const [, root, taskId, word = ''] = m;
  const from = offset - word.length;
  const flow = flowOf(source, offset);
  if (root === 'inputs' && taskId === undefined) {
    const inputs = Array.isArray(flow.inputs) ? (flow.inputs as Node[]) : [];
    return {
      from,
      items: inputs
        .filter((i) => typeof i?.id === 'string')
        .map((i) => ({
          label: String(i.id),
          detail: `input${typeof i.type === 'string' ? ` ${i.type}` : ''}`,
        })),
    };
  }
  if (root === 'vars' && taskId === undefined) {
    const vars = flow.variables && typeof flow.variables === 'object' ? Object.keys(flow.variables) : [];
    return { from, items: vars.map((k) => ({ label: k, detail: 'variable' })) };
  }
  if (root === 'outputs') {
    const tasks = tasksOf(flow);
    if (taskId === undefined) return { from, items: tasks.map((t) => ({ label: t.id, detail: t.type })) };
    const task = tasks.find((t) => t.id === taskId);
    return task
      ? { from, items: outputsOf(task.type).map((o) => ({ label: o, detail: `output of ${task.id}` })) }
      : undefined;
  }
  return undefined;
};
