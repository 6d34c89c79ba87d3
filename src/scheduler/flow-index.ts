/**
 * The triggers the scheduler runs, read from the latest revision of every flow: schedules, and the
 * polling and realtime types of the registry. Re-read on each cycle; a flow is parsed once per revision
 * (the flow repository caches revisions), so an unchanged flow costs one row read.
 */
import type { FlowRepository } from '../executor/flows.ts';
import type { Flow, Trigger } from '../flow/types.ts';
import type { Store, TriggerKey } from '../store/types.ts';
import type { TriggerRegistry, TriggerType } from './registry.ts';
import type { ScheduleSpec } from './schedule.ts';
import { isScheduleType, readSchedule } from './spec.ts';

export interface ManagedTrigger {
  key: TriggerKey;
  /** `namespace/flowId/triggerId`. */
  uid: string;
  flow: Flow;
  trigger: Trigger;
  /** Schedules (Schedule, ScheduleOnDates). */
  schedule?: ScheduleSpec;
  /** Polling and realtime triggers. */
  type?: TriggerType;
  /** Whether it may start executions now: its flow and itself are enabled in the source. */
  enabled: boolean;
}

export const triggerUid = (k: TriggerKey): string => `${k.namespace}/${k.flowId}/${k.triggerId}`;

/** The definition of a trigger as compared between revisions (a change starts it afresh). */
export const definitionOf = (trigger: Trigger): string => JSON.stringify(trigger);

export class FlowIndex {
  private readonly store: Store;
  private readonly flows: FlowRepository;
  private readonly registry: TriggerRegistry;
  private readonly warn: (obj: object, msg: string) => void;
  /** Triggers already reported as unusable, by uid and revision: said once, not every cycle. */
  private readonly reported = new Set<string>();

  constructor(
    store: Store,
    flows: FlowRepository,
    registry: TriggerRegistry,
    warn: (obj: object, msg: string) => void,
  ) {
    this.store = store;
    this.flows = flows;
    this.registry = registry;
    this.warn = warn;
  }

  /** Whether the scheduler runs triggers of this type. */
  manages(type: string | undefined): boolean {
    return type !== undefined && (isScheduleType(type) || this.registry.get(type) !== undefined);
  }

  /** Every trigger the scheduler runs, by uid. */
  async read(): Promise<Map<string, ManagedTrigger>> {
    const out = new Map<string, ManagedTrigger>();
    for (const stored of await this.store.listFlows()) {
      if (stored.deleted) continue;
      let flow: Flow;
      try {
        flow = await this.flows.get(stored.namespace, stored.id, stored.revision);
      } catch {
        continue; // an invalid stored flow was reported where it was saved
      }
      for (const trigger of flow.triggers ?? []) {
        if (!this.manages(trigger.type)) continue;
        const key = { namespace: flow.namespace, flowId: flow.id, triggerId: trigger.id };
        const uid = triggerUid(key);
        const managed: ManagedTrigger = {
          key,
          uid,
          flow,
          trigger,
          enabled: flow.disabled !== true && trigger.disabled !== true,
        };
        try {
          if (isScheduleType(trigger.type)) managed.schedule = readSchedule(flow, trigger);
          else managed.type = this.registry.get(trigger.type);
        } catch (error) {
          const said = `${uid}@${flow.revision}`;
          if (!this.reported.has(said)) {
            this.reported.add(said);
            this.warn({ trigger: uid, err: (error as Error).message }, 'trigger cannot be scheduled');
          }
          continue;
        }
        out.set(uid, managed);
      }
    }
    return out;
  }

  /** The trigger's definition in an earlier revision of its flow (undefined if gone). */
  async definitionAt(key: TriggerKey, revision: number): Promise<string | undefined> {
    try {
      const flow = await this.flows.get(key.namespace, key.flowId, revision);
      const trigger = flow.triggers?.find((t) => t.id === key.triggerId);
      return trigger ? definitionOf(trigger) : undefined;
    } catch {
      return undefined;
    }
  }
}
