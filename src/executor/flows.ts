/**
 * Flow revisions as the executor needs them: parsed once, cached by (namespace, id, revision).
 * Revisions never change once stored, so the cache needs no invalidation.
 */
import { BatonError } from '../errors.ts';
import { formatFlowError, loadFlowSource } from '../flow/index.ts';
import type { Flow } from '../flow/types.ts';
import type { Store } from '../store/types.ts';
import type { TaskRegistry } from '../tasks/registry.ts';

export class FlowNotFoundError extends BatonError {
  constructor(namespace: string, id: string, revision?: number) {
    super(
      'FLOW_NOT_FOUND',
      `Flow not found: ${namespace}.${id}${revision === undefined ? '' : ` (revision ${revision})`}`,
    );
  }
}

export class FlowRepository {
  private readonly cache = new Map<string, Flow>();
  private readonly store: Store;
  private readonly registry: TaskRegistry | undefined;
  /** `registry`: the engine's task types, when it has custom ones. */
  constructor(store: Store, registry?: TaskRegistry) {
    this.store = store;
    this.registry = registry;
  }

  /** The flow at `revision`, or its latest revision. */
  async get(namespace: string, id: string, revision?: number): Promise<Flow> {
    const key = `${namespace}\u0000${id}\u0000${revision ?? ''}`;
    const cached = revision === undefined ? undefined : this.cache.get(key);
    if (cached) return cached;
    const stored = await this.store.getFlow(namespace, id, revision);
    if (!stored || (revision === undefined && stored.deleted))
      throw new FlowNotFoundError(namespace, id, revision);
    const exactKey = `${namespace}\u0000${id}\u0000${stored.revision}`;
    const hit = this.cache.get(exactKey);
    if (hit) return hit;
    const { flow, errors } = loadFlowSource(stored.source, `${namespace}.${id}@${stored.revision}`, {
      registry: this.registry,
    });
    if (!flow || errors.length > 0) {
      throw new Error(`stored flow ${namespace}.${id} is invalid: ${errors.map(formatFlowError).join('; ')}`);
    }
    const withRevision = { ...flow, revision: stored.revision };
    this.cache.set(exactKey, withRevision);
    return withRevision;
  }
}
