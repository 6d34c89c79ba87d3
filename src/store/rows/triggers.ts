/** Rows of the `triggers` table (trigger states) as both backends read them, and their mapping. */
import type { TriggerState } from '../types.ts';

export interface TriggerRow {
  namespace: string;
  flow_id: string;
  trigger_id: string;
  type: string | null;
  flow_revision: number | null;
  next_date: string | null;
  last_date: string | null;
  /** 0 or 1 on SQLite, a boolean on PostgreSQL. */
  disabled: number | boolean;
  execution_id: string | null;
  locked_at: string | null;
  backfill: string | null;
  data: string | null;
  updated_at: string;
  version: number;
}

export const toTriggerState = (r: TriggerRow): TriggerState => {
  const s: TriggerState = {
    namespace: r.namespace,
    flowId: r.flow_id,
    triggerId: r.trigger_id,
    disabled: r.disabled === true || Number(r.disabled) === 1,
    updatedAt: r.updated_at,
    version: Number(r.version),
  };
  if (r.type !== null) s.type = r.type;
  if (r.flow_revision !== null) s.flowRevision = Number(r.flow_revision);
  if (r.next_date !== null) s.nextDate = r.next_date;
  if (r.last_date !== null) s.lastDate = r.last_date;
  if (r.execution_id !== null) s.executionId = r.execution_id;
  if (r.locked_at !== null) s.lockedAt = r.locked_at;
  if (r.backfill !== null) s.backfill = JSON.parse(r.backfill);
  if (r.data !== null) s.data = JSON.parse(r.data);
  return s;
};
