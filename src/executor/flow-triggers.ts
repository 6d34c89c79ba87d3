/**
 * Flow triggers in the executor shell: when an execution ends, the flows whose `io.kestra.plugin.core.
 * trigger.Flow` triggers match get an execution. The decision is pure (src/triggers); here we load the
 * candidate flows and the multiple-condition window state, and turn the decision into queue messages
 * and window-state KV writes, both written in the same transaction as the end of the upstream execution.
 */
import type { Execution } from '../execution/types.ts';
import type { Flow } from '../flow/types.ts';
import type { KvWrite, NewQueueMessage, Store } from '../store/types.ts';
import {
  evaluateFlowTriggers,
  isFlowTrigger,
  loadDisabledTriggers,
  loadTriggerState,
  type MultipleConditionState,
  triggerStateWrites,
  triggerToggleKey,
} from '../triggers/index.ts';
import { newId } from '../util/ids.ts';
import type { FlowRepository } from './flows.ts';
import type { ExecutorMessage } from './messages.ts';

/**
 * How long the list of flows with Flow triggers is reused. Guards the hot path (an ended execution must
 * not re-read every flow); the cost is that a flow deployed less than this long ago may miss an upstream
 * execution that ends in between.
 */
const FLOW_LIST_TTL_MS = 1_000;

export class FlowTriggers {
  private readonly store: Store;
  private readonly flows: FlowRepository;
  private cached?: { at: number; flows: Flow[] };
  /**
   * The window state as the steps of the current batch left it. Their writes are not committed yet,
   * so a second execution ending in the same batch must see the first one's windows from here, not from
   * the store. (If the first write then fails alone, the second still carries its window change: a
   * condition recorded as met twice is no harm, as the upstream step is done again.)
   */
  private batchState?: MultipleConditionState;

  constructor(store: Store, flows: FlowRepository) {
    this.store = store;
    this.flows = flows;
  }

  /** A new batch of steps starts: the window state is read from the store again. */
  newBatch(): void {
    this.batchState = undefined;
  }

  /**
   * Messages that create the executions triggered by `ended` (possibly none), and the KV writes of the
   * window state, both for the write of the step that ended it.
   */
  async onEnded(
    ended: Execution,
    onWarning: (w: string) => void,
  ): Promise<{ enqueue: NewQueueMessage[]; kv: KvWrite[] }> {
    const candidates = await this.withToggles(await this.candidates());
    if (candidates.length === 0) return { enqueue: [], kv: [] };
    const before = this.batchState ?? (await loadTriggerState(this.store));
    let result: ReturnType<typeof evaluateFlowTriggers>;
    try {
      result = evaluateFlowTriggers(ended, candidates, before, Date.now());
    } catch (error) {
      // A trigger that cannot be evaluated must not keep the upstream execution from ending (its step
      // would fail, be claimed again and fail again): it starts nothing and is reported.
      onWarning(`flow triggers not evaluated for execution ${ended.id}: ${(error as Error).message}`);
      return { enqueue: [], kv: [] };
    }
    for (const w of result.warnings) onWarning(w);
    this.batchState = result.state;
    const kv = triggerStateWrites(before, result.state);
    const enqueue = result.toStart.map(({ flow, trigger, variables, inputs }) => ({
      queue: 'executor',
      executionId: newId(),
      payload: {
        type: 'create-triggered',
        namespace: flow.namespace,
        flowId: flow.id,
        revision: flow.revision,
        inputs,
        trigger: { id: trigger.id, type: trigger.type, variables },
      } satisfies ExecutorMessage,
    })) satisfies NewQueueMessage[];
    return { enqueue, kv };
  }

  /**
   * The flows with the triggers that the Toggle task turned off marked `disabled`. Read on every ended
   * execution, not cached: a trigger turned off must not fire once more.
   */
  private async withToggles(flows: Flow[]): Promise<Flow[]> {
    if (flows.length === 0) return flows;
    const off = await loadDisabledTriggers(this.store);
    if (off.size === 0) return flows;
    return flows.map((flow) => ({
      ...flow,
      triggers: flow.triggers?.map((t) =>
        off.has(triggerToggleKey(flow.namespace, flow.id, t.id)) ? { ...t, disabled: true } : t,
      ),
    }));
  }

  private async candidates(): Promise<Flow[]> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < FLOW_LIST_TTL_MS) return this.cached.flows;
    const flows: Flow[] = [];
    for (const stored of await this.store.listFlows()) {
      // Cheap textual pre-check: parsing only flows that could have a Flow trigger.
      if (stored.deleted || !/trigger\.Flow|types\.Flow\b|type:\s*flow\b/i.test(stored.source)) continue;
      const flow = await this.flows.get(stored.namespace, stored.id, stored.revision).catch(() => undefined);
      if (flow?.triggers?.some((t) => isFlowTrigger(t))) flows.push(flow);
    }
    this.cached = { at: now, flows };
    return flows;
  }
}
