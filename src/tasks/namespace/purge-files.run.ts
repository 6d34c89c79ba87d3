/**
 * namespace.PurgeFiles: deletes versions of namespace files; Baton keeps one version per file, so only a
 * behavior that keeps none (`keepAmount: 0`, or neither `keepAmount` nor `before`) deletes files.
 */
import { NamespaceFiles } from '../../storage/namespace-files.ts';
import { pathMatcher } from '../../storage/path-matcher.ts';
import type { RunFunction } from '../context.ts';
import { namespaceFilter, type PurgeScope } from '../purge.ts';

/** A namespace and all its parents (`a.b.c` → `a`, `a.b`, `a.b.c`). */
const withParents = (ns: string): string[] =>
  ns.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'));

export const run: RunFunction<
  PurgeScope & { filePattern?: string; behavior?: { type: 'version'; keepAmount?: number; before?: string } }
> = async (ctx, props) => {
  const behavior = props.behavior ?? { type: 'version', keepAmount: 1 };
  // `before` only ever purges old versions; keepAmount keeps the latest ones; neither purges every version.
  const latestGoes = behavior.before === undefined && (behavior.keepAmount ?? 0) === 0;
  const inScope = namespaceFilter(props, 'PurgeFiles');
  const matches = props.filePattern ? pathMatcher([props.filePattern]) : () => true;
  const known = new Set([
    ...(props.namespaces ?? []),
    ...(await ctx.store.listFlows()).map((f) => f.namespace),
  ]);
  const namespaces = [...new Set([...known].flatMap(withParents))].filter(inScope).sort();
  let size = 0;
  if (latestGoes) {
    for (const namespace of namespaces) {
      const files = new NamespaceFiles(ctx.storage, namespace);
      for (const path of await files.list()) if (matches(path) && (await files.delete(path))) size++;
    }
  }
  ctx.logger.info(`purged ${size} namespace file version(s) of ${namespaces.length} namespace(s)`);
  return { outputs: { size } };
};
