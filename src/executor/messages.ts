/**
 * Payloads of executor queue messages. Most are `ExecutorEvent`s for an existing execution; two create
 * executions, so that creation is enqueued in the same transaction as the step that asked for it
 * (a crash between "parent decided to start a subflow" and "subflow exists" cannot lose the subflow).
 */
import type { Label } from '../execution/types.ts';
import type { ExecutorEvent } from './types.ts';

export interface SubflowSpec {
  parentExecutionId: string;
  parentTaskRunId: string;
  namespace: string;
  flowId: string;
  revision?: number;
  inputs: Record<string, unknown>;
  labels: Label[];
  wait: boolean;
  iteration?: number;
  trigger: { id: string; type: string; variables: Record<string, unknown> };
  /** The parent's known secrets, encrypted: `inputs` may carry them, sealed. */
  secrets?: string[];
}

export type ExecutorMessage =
  /** A new execution was stored in CREATED and awaits admission (flow concurrency). */
  | { type: 'created' }
  /** Create the execution this message is addressed to as a subflow of another. */
  | { type: 'create-subflow'; spec: SubflowSpec }
  /** Create the execution this message is addressed to, started by a trigger (Flow trigger...). */
  | {
      type: 'create-triggered';
      namespace: string;
      flowId: string;
      revision?: number;
      inputs: Record<string, unknown>;
      trigger: { id: string; type: string; variables: Record<string, unknown> };
    }
  /** Create the execution this message is addressed to as a new attempt of another (flow retry). */
  | { type: 'create-attempt'; fromExecutionId: string }
  /**
   * A message of this execution could not be handled and was moved aside by its consumer (a worker job
   * that cannot be read): the execution cannot go on, it ends FAILED with this reason in its logs.
   */
  | { type: 'unrecoverable'; reason: string }
  | ExecutorEvent;

/** Payload of a worker queue message: the worker owns its shape. */
export type { WorkerJobPayload as WorkerJobMessage } from '../worker/types.ts';
