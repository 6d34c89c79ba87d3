/**
 * Retention (`baton server --retention`): what the background purger asks the store to delete, batch by
 * batch. See src/runtime/retention.ts for the rules (global and per namespace) and the loop.
 */
import { type Execution, isTerminal } from '../execution/types.ts';

/** The ended executions one retention rule governs. */
export interface RetentionScope {
  /** Executions that ended strictly before this ISO instant. */
  endedBefore: string;
  /** Of this namespace and the namespaces below it (`company` holds `company.team`); every one if absent. */
  namespace?: string;
  /** But not of these namespaces nor those below them: more specific rules govern them. */
  except?: string[];
}

/** An execution the purge deleted: enough to find its files in internal storage. */
export interface PurgedExecution {
  id: string;
  namespace: string;
  flowId: string;
}

/** The store's part in retention (see `Store`). */
export interface RetentionStore {
  /**
   * Deletes up to `limit` ENDED executions of `scope` (oldest end first) as `deleteExecutions` does, in
   * one transaction; returns them (their storage files are the caller's). Never a running, paused or
   * queued one. `undefined`: another process is purging (PostgreSQL: one purger at a time), the caller
   * leaves the round to it.
   */
  purgeEndedExecutions(scope: RetentionScope, limit: number): Promise<PurgedExecution[] | undefined>;
  /**
   * Deletes up to `limit` audit entries older than the ISO instant `before`, oldest first; returns how
   * many. The only deletion the audit log allows (the database refuses any other).
   */
  purgeAudit(before: string, limit: number): Promise<number>;
}

/**
 * When an execution ended, as the stores keep it for retention (a UTC ISO instant: compared as text);
 * null while it has not ended (a restarted execution has not ended any more).
 */
export const endedAt = (execution: Omit<Execution, 'taskRuns'>, updatedAt: string): string | null =>
  isTerminal(execution.state.current)
    ? new Date(Date.parse(execution.state.endDate ?? updatedAt)).toISOString()
    : null;
