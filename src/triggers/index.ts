/** Public API of Flow triggers: which flows start when an execution ends, and the window state. */

export {
  allHold,
  CONDITION,
  type ConditionContext,
  ConditionError,
  safeTest,
  testCondition,
} from './conditions.ts';
export {
  evaluateFlowTriggers,
  FLOW_TRIGGER_TYPE,
  type FlowTriggerResult,
  type FlowTriggerStart,
  isFlowTrigger,
  taskOutputs,
  triggerVariables,
  upstreamContext,
} from './flow-trigger.ts';
export { type MultipleSpec, multipleSpecsOf, type TimeWindowSpec } from './multiple.ts';
export {
  loadDisabledTriggers,
  loadFlowTriggerState,
  loadTriggerState,
  saveTriggerState,
  setTriggerDisabled,
  TRIGGER_STATE_NAMESPACE,
  triggerStateWrites,
  triggerToggleKey,
  updateTriggerState,
} from './store-state.ts';
export {
  type ConditionWindow,
  computeWindow,
  emptyState,
  type MultipleConditionState,
  purgeExpired,
  windowKey,
} from './windows.ts';
