/**
 * Loop values (ForEach `values`, EachSequential/EachParallel `value`): a list or a JSON text, rendered
 * once when the loop task run starts. Kept in a bounded cache keyed by task run, because rendering and
 * parsing thousands of values on every step would make a large loop quadratic; a miss re-renders.
 */
import type { TaskRun } from '../../execution/types.ts';
import type { Task } from '../../flow/types.ts';
import type { Step } from '../step.ts';
import { render } from './common.ts';

/** Enough for every loop running at once in one executor process; older entries are re-rendered. */
const CACHE_SIZE = 2000;
const cache = new Map<string, string[]>();

const toValueString = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

const javaString = (v: unknown): string => {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(javaString).join(', ')}]`;
  if (typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${k}=${javaString(x)}`)
      .join(', ')}}`;
  return String(v);
};

/** Renders and parses the values; throws with Kestra's message on null values or a bad list. */
export const computeValues = (step: Step, tr: TaskRun, task: Task, raw: unknown): string[] => {
  let v = render(step, tr, task, raw);
  if (typeof v === 'string') {
    const text = v.trim();
    try {
      v = JSON.parse(text);
    } catch {
      throw new Error(`Unable to parse the loop values as a JSON list: ${text.slice(0, 200)}`);
    }
  }
  if (!Array.isArray(v)) throw new Error(`Loop values must be a list, got: ${javaString(v).slice(0, 200)}`);
  const nulls = v.filter((x) => x === null || x === undefined).length;
  if (nulls > 0) throw new Error(`Found '${nulls}' null values on Each, with values=${javaString(v)}`);
  return v.map(toValueString);
};

const key = (tr: TaskRun): string => `${tr.executionId}/${tr.id}`;

export const rememberValues = (tr: TaskRun, values: string[]): void => {
  cache.delete(key(tr));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key(tr), values);
};

export const loopValues = (step: Step, tr: TaskRun, task: Task, raw: unknown): string[] => {
  const hit = cache.get(key(tr));
  if (hit) return hit;
  const values = computeValues(step, tr, task, raw);
  rememberValues(tr, values);
  return values;
};
