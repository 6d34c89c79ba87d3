/**
 * Persistence of trigger state, the only I/O of src/triggers:
 * - the multiple-condition windows of Flow triggers, through the Store's KV API so that they survive
 *   restarts: one KV entry per flow trigger, in namespace `__baton_triggers`, key
 *   `<namespace>.<flowId>.<triggerId>`, value `{ <conditionId>: ConditionWindow }`;
 * - whether a trigger was turned off (Toggle task, API, `stopAfter`), in the store's trigger states.
 */
import { TriggerStateConflictError } from '../store/errors.ts';
import type { KvWrite, Store, TriggerKey, TriggerState } from '../store/types.ts';
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
 * Reads a trigger's state, changes it with `change` and writes it back if nobody wrote it meanwhile
 * (compare-and-set on its version), trying again otherwise. `change` returns the new state, or
 * undefined to write nothing. Returns the state as stored after the change.
 */
export const updateTriggerState = async (
  store: Store,
  key: TriggerKey,
  change: (current: TriggerState | undefined) => Omit<TriggerState, 'updatedAt' | 'version'> | undefined,
): Promise<TriggerState | undefined> => {
  // A conflict means another writer (the scheduler firing a tick) got in between: a few attempts are
  // plenty, as each writer holds the row for one short transaction.
  for (let attempt = 0; attempt < 20; attempt++) {
    const current = await store.getTriggerState(key);
    const next = change(current);
    if (!next) return current;
    try {
      await store.writeExecution({ triggers: [{ state: next, expectVersion: current?.version ?? 0 }] });
      return store.getTriggerState(key);
    } catch (error) {
      if (!(error instanceof TriggerStateConflictError)) throw error;
    }
  }
  throw new TriggerStateConflictError(key);
};

/**
 * Turns a trigger off or on (the Toggle task, the API), in its stored state. A trigger written
 * `disabled: true` in its flow stays off whatever is stored here. Turning it off forgets its next date
 * (as Kestra): turned on again, it starts from then.
 */
export const setTriggerDisabled = (
  store: Store,
  key: TriggerKey,
  disabled: boolean,
): Promise<TriggerState | undefined> =>
  updateTriggerState(store, key, (current) => {
    if (current?.disabled === disabled) return undefined;
    const {
      updatedAt: _u,
      version: _v,
      ...rest
    } = current ?? { ...key, disabled, updatedAt: '', version: 0 };
    return disabled ? { ...rest, disabled, nextDate: undefined } : { ...rest, disabled };
  });

/** Key of a trigger in the set returned by `loadDisabledTriggers`. */
export const triggerToggleKey = (namespace: string, flowId: string, triggerId: string): string =>
  `${namespace}/${flowId}/${triggerId}`;

/** Keys (see triggerToggleKey) of the triggers turned off in their stored state. */
export const loadDisabledTriggers = async (store: Store): Promise<Set<string>> =>
  new Set(
    (await store.listTriggerStates())
      .filter((s) => s.disabled)
      .map((s) => triggerToggleKey(s.namespace, s.flowId, s.triggerId)),
  );
