/**
 * The task type registry: every task, trigger and condition type Baton knows, by canonical name and alias.
 * Definitions are listed in `./definitions.ts`; this file only indexes them.
 */
import { definitions } from './definitions.ts';
import type { TaskDefinition, TaskKind } from './types.ts';

const byName = new Map<string, TaskDefinition>();
for (const def of definitions) {
  for (const name of [def.type, ...(def.aliases ?? [])]) {
    const existing = byName.get(name);
    if (existing && existing !== def) throw new Error(`task type name registered twice: ${name}`);
    byName.set(name, def);
  }
}

/** The definition for a type name as written in a flow (canonical name or alias), if known. */
export const findDefinition = (name: string): TaskDefinition | undefined => byName.get(name);

/** The canonical name of a type, or undefined when the name is unknown. */
export const canonicalType = (name: string): string | undefined => byName.get(name)?.type;

export const isFlowable = (name: string): boolean => byName.get(name)?.kind === 'flowable';
export const isRunnable = (name: string): boolean => byName.get(name)?.kind === 'runnable';

export const listDefinitions = (kind?: TaskKind): TaskDefinition[] =>
  kind ? definitions.filter((d) => d.kind === kind) : [...definitions];
