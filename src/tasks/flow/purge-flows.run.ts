/**
 * flow.PurgeFlows: deletes old revisions of the chosen flows, always keeping each flow's latest; outputs
 * `size`. Deleted flows are left alone (their revisions are their history).
 */
import { parseZoned } from '../../triggers/dates.ts';
import type { RunFunction } from '../context.ts';
import { nameGlob, namespaceFilter, type PurgeScope } from '../purge.ts';
import { TaskError } from '../types.ts';

export const run: RunFunction<
  PurgeScope & { flowPattern?: string; behavior?: { type: 'version'; keepAmount?: number; before?: string } }
> = async (ctx, props) => {
  const behavior = props.behavior ?? { type: 'version', keepAmount: 1 };
  if (behavior.keepAmount !== undefined && behavior.before !== undefined)
    throw new TaskError("PurgeFlows: cannot set both 'before' and 'keepAmount'", { retryable: false });
  const before = behavior.before === undefined ? undefined : parseZoned(behavior.before).epochMs;
  const inNamespaces = namespaceFilter(props, 'PurgeFlows');
  const flowMatches = props.flowPattern ? nameGlob(props.flowPattern) : () => true;
  let size = 0;
  for (const flow of await ctx.store.listFlows()) {
    if (!inNamespaces(flow.namespace) || !flowMatches(flow.id)) continue;
    const revisions = (await ctx.store.listRevisions(flow.namespace, flow.id)).map((r) => ({
      revision: r.revision,
      savedAt: Date.parse(r.createdAt),
    }));
    const latest = Math.max(...revisions.map((r) => r.revision));
    const old = revisions.filter((r) => r.revision !== latest);
    const purge =
      behavior.keepAmount !== undefined
        ? [...revisions]
            .sort((a, b) => b.revision - a.revision)
            .slice(behavior.keepAmount)
            .filter((r) => r.revision !== latest)
        : before !== undefined
          ? old.filter((r) => r.savedAt <= before)
          : old;
    if (purge.length === 0) continue;
    size += await ctx.store.deleteFlowRevisions(
      flow.namespace,
      flow.id,
      purge.map((r) => r.revision),
    );
  }
  ctx.logger.info(`purged ${size} flow revision(s)`);
  return { outputs: { size } };
};
