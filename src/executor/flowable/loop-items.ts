/**
 * Loop `values`: a list, a map (each entry an iteration with `item.key`), or a string rendering to a
 * JSON list or map. Rendered once when the Loop task run starts and kept in a bounded cache keyed by
 * task run (rendering thousands of values on every step would make a large loop quadratic); a miss
 * renders them again.
 */
import type { LoopItem, TaskRun } from '../../execution/types.ts';
import type { Task } from '../../flow/types.ts';
import type { Step } from '../step.ts';
import { render } from './common.ts';

/** Enough for every Loop running at once in one executor process; older entries are re-rendered. */
const CACHE_SIZE = 2000;
const cache = new Map<string, LoopItem[]>();

const asString = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** Renders and parses the values; throws a message saying what is wrong. */
export const computeItems = (step: Step, tr: TaskRun, task: Task): LoopItem[] => {
  let v = render(step, tr, task, task.values);
  if (typeof v === 'string') {
    const text = v.trim();
    if (text.startsWith('kestra://'))
      throw new Error(
        'Loop: values from an internal storage file are not supported by Baton yet; give a list or a map',
      );
    try {
      v = JSON.parse(text);
    } catch {
      throw new Error(`Loop: unable to parse the values as a JSON list or map: ${text.slice(0, 200)}`);
    }
  }
  if (Array.isArray(v)) {
    const nulls = v.filter((x) => x === null || x === undefined).length;
    if (nulls > 0) throw new Error(`Loop: found ${nulls} null value(s) in the values`);
    return v.map((x, index) => ({ index, value: asString(x) }));
  }
  if (v && typeof v === 'object')
    return Object.entries(v).map(([key, x], index) => ({ index, key, value: asString(x) }));
  throw new Error(`Loop: values must be a list or a map, got: ${asString(v).slice(0, 200)}`);
};

const key = (tr: TaskRun): string => `${tr.executionId}/${tr.id}`;

export const rememberItems = (tr: TaskRun, items: LoopItem[]): void => {
  cache.delete(key(tr));
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  cache.set(key(tr), items);
};

export const loopItems = (step: Step, tr: TaskRun, task: Task): LoopItem[] => {
  const hit = cache.get(key(tr));
  if (hit) return hit;
  const items = computeItems(step, tr, task);
  rememberItems(tr, items);
  return items;
};
