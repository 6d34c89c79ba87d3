/**
 * What Kestra's purge tasks (PurgeKV, PurgeFlows...) share: which namespaces they touch (`namespaces`,
 * with or without children, or `namespacePattern`; all when neither is set) and a glob on item names.
 * Pure. Baton's own namespaces (`__baton_*`: trigger state) are never purged.
 */
import { pathMatcher } from '../storage/path-matcher.ts';
import { TaskError } from './types.ts';

export interface PurgeScope {
  namespaces?: string[];
  namespacePattern?: string;
  includeChildNamespaces?: boolean;
}

/** A Java glob over a whole name (`company.*`, `AI_*`). */
export const nameGlob = (pattern: string): ((name: string) => boolean) => pathMatcher([`glob:${pattern}`]);

export const namespaceFilter = (scope: PurgeScope, task: string): ((namespace: string) => boolean) => {
  if (scope.namespaces?.length && scope.namespacePattern)
    throw new TaskError(`${task}: set \`namespaces\` or \`namespacePattern\`, not both`, {
      retryable: false,
    });
  const children = scope.includeChildNamespaces ?? true;
  const listed = scope.namespaces?.length ? scope.namespaces : undefined;
  const pattern = scope.namespacePattern ? nameGlob(scope.namespacePattern) : undefined;
  return (ns) => {
    if (ns.startsWith('__baton')) return false;
    if (listed) return listed.some((l) => ns === l || (children && ns.startsWith(`${l}.`)));
    return pattern ? pattern(ns) : true;
  };
};
