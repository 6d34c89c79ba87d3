/**
 * Persistence of the multiple-condition state through the Store's KV API, so that windows survive
 * restarts. One KV entry per flow trigger, in namespace `__baton_triggers`, key
 * `<namespace>.<flowId>.<triggerId>`, value `{ <conditionId>: ConditionWindow }`. The only I/O of
 * src/triggers.
 */
import type { KvWrite, Store } from '../store/types.ts';
import { type ConditionWindow, type MultipleConditionState, triggerPrefix } from './windows.ts';

export const TRIGGER_STATE_NAMESPACE = '__baton_triggers';

type Entries = Record<string, ConditionWindow>;

/** Splits a state key into its trigger key (`ns.flow.trigger`) and condition id. */
const splitKey = (key: string): { triggerKey: string; conditionId: string } => {
  const i = key.lastIndexOf('.');
  return { triggerKey: key.slice(0, i), conditionId: key.slice(i + 1) };
};

const byTrigger = (state: MultipleConditionState): Map<string, Entries> => {
  const out = new Map<string, Entries>();
  for (const [key, w] of Object.entries(state)) {
    const { triggerKey, conditionId } = splitKey(key);
    const entries = out.get(triggerKey) ?? {};
    entries[conditionId] = w;
    out.set(triggerKey, entries);
  }
  return out;
};

const isWindow = (v: unknown): v is ConditionWindow =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as ConditionWindow).start === 'string' &&
  typeof (v as ConditionWindow).end === 'string' &&
  typeof (v as ConditionWindow).results === 'object';

/** Reads the whole state (every flow trigger's windows). Malformed entries are ignored. */
export const loadTriggerState = async (store: Store): Promise<MultipleConditionState> => {
  const state: MultipleConditionState = {};
  for (const entry of await store.kvList(TRIGGER_STATE_NAMESPACE)) {
    if (typeof entry.value !== 'object' || entry.value === null) continue;
    for (const [conditionId, w] of Object.entries(entry.value as Record<string, unknown>))
      if (isWindow(w)) state[`${entry.key}.${conditionId}`] = w;
  }
  return state;
};

/** Reads the windows of one flow trigger. */
export const loadFlowTriggerState = async (
  store: Store,
  namespace: string,
  flowId: string,
  triggerId: string,
): Promise<MultipleConditionState> => {
  const prefix = triggerPrefix(namespace, flowId, triggerId);
  const entry = await store.kvGet(TRIGGER_STATE_NAMESPACE, prefix.slice(0, -1));
  const state: MultipleConditionState = {};
  if (entry && typeof entry.value === 'object' && entry.value !== null)
    for (const [conditionId, w] of Object.entries(entry.value as Record<string, unknown>))
      if (isWindow(w)) state[`${prefix}${conditionId}`] = w;
  return state;
};

/**
 * The KV writes that turn `before` into `after` (pure): flow triggers whose windows changed are set,
 * emptied ones deleted, unchanged ones not written. The executor puts them in the write of the step
 * that ended the upstream execution, so that the window state and the executions it starts commit
 * together: a step that fails leaves neither behind (a window reset without its execution would lose
 * that execution for good).
 */
export const triggerStateWrites = (
  before: MultipleConditionState,
  after: MultipleConditionState,
): KvWrite[] => {
  const old = byTrigger(before);
  const now = byTrigger(after);
  const writes: KvWrite[] = [];
  for (const [triggerKey, entries] of now)
    if (JSON.stringify(old.get(triggerKey)) !== JSON.stringify(entries))
      writes.push({ namespace: TRIGGER_STATE_NAMESPACE, key: triggerKey, value: entries });
  for (const triggerKey of old.keys())
    if (!now.has(triggerKey)) writes.push({ namespace: TRIGGER_STATE_NAMESPACE, key: triggerKey });
  return writes;
};

/** Writes `triggerStateWrites(before, after)` in one transaction of its own (outside the executor). */
export const saveTriggerState = async (
  store: Store,
  before: MultipleConditionState,
  after: MultipleConditionState,
): Promise<void> => {
  const kv = triggerStateWrites(before, after);
  if (kv.length > 0) await store.writeExecution({ kv });
};

/**
 * Triggers turned off by the Toggle task, one KV entry each in namespace `__baton_trigger_toggles`, key
 * `<namespace>/<flowId>/<triggerId>` (`/` appears in none of the three). Turning a trigger back on
 * removes the entry: a trigger written `disabled: true` in its flow stays off whatever Toggle says.
 */
export const TRIGGER_TOGGLE_NAMESPACE = '__baton_trigger_toggles';

export const triggerToggleKey = (namespace: string, flowId: string, triggerId: string): string =>
  `${namespace}/${flowId}/${triggerId}`;

export const setTriggerDisabled = async (
  store: Store,
  ref: { namespace: string; flowId: string; triggerId: string },
  disabled: boolean,
): Promise<void> => {
  const key = triggerToggleKey(ref.namespace, ref.flowId, ref.triggerId);
  if (disabled) await store.kvSet(TRIGGER_TOGGLE_NAMESPACE, key, { disabled: true });
  else await store.kvDelete(TRIGGER_TOGGLE_NAMESPACE, key);
};

/** Keys (see triggerToggleKey) of the triggers Toggle turned off. */
export const loadDisabledTriggers = async (store: Store): Promise<Set<string>> =>
  new Set((await store.kvList(TRIGGER_TOGGLE_NAMESPACE)).map((e) => e.key));
