/**
 * `ctx.flows` (TaskFlows in src/tasks/context.ts): the engine's flows as a task may read and change
 * them, over the store. Sources are validated with the engine's task types before they are saved, and
 * each change is audited with the execution as its actor, as a change made through the API is with
 * its user.
 */
import { formatFlowError, loadFlowSource } from '../flow/index.ts';
import type { Store } from '../store/types.ts';
import type { TaskFlows } from '../tasks/context.ts';
import type { TaskRegistry } from '../tasks/registry.ts';
import { TaskError } from '../tasks/types.ts';

export const taskFlows = (
  store: Store,
  registry: TaskRegistry | undefined,
  executionId: string,
): TaskFlows => {
  const audit = (action: string, namespace: string, id: string, revision: number) =>
    store.appendAudit([
      {
        at: new Date().toISOString(),
        actor: `execution:${executionId}`,
        action,
        target: `${namespace}.${id}`,
        namespace,
        details: { revision },
      },
    ]);
  const check: TaskFlows['check'] = (source, file) => loadFlowSource(source, file, { registry });
  return {
    check,
    async list(namespace, opts = {}) {
      if (!opts.children) return store.listFlows(namespace);
      const prefix = `${namespace}.`;
      return (await store.listFlows()).filter(
        (f) => f.namespace === namespace || f.namespace.startsWith(prefix),
      );
    },
    async save(source) {
      const { flow, errors } = check(source, 'flow');
      if (!flow)
        throw new TaskError(`invalid flow: ${errors.map(formatFlowError).join('; ')}`, { retryable: false });
      const previous = await store.getFlow(flow.namespace, flow.id);
      const live = previous && !previous.deleted ? previous : undefined;
      const stored = await store.saveFlow(flow.namespace, flow.id, source);
      const change = !live ? 'created' : live.revision === stored.revision ? 'unchanged' : 'updated';
      if (change !== 'unchanged')
        await audit(
          change === 'created' ? 'flow.create' : 'flow.update',
          flow.namespace,
          flow.id,
          stored.revision,
        );
      return { stored, change };
    },
    async delete(namespace, id) {
      const stored = await store.getFlow(namespace, id);
      if (!stored || stored.deleted) return;
      await store.deleteFlow(namespace, id);
      await audit('flow.delete', namespace, id, stored.revision);
    },
  };
};
