/**
 * Task type registries: every task, trigger and condition type a flow may use, by canonical name and alias.
 * `builtinTasks` holds Baton's own types (listed in `./definitions.ts`); an engine with custom task types
 * (see `createBaton({ tasks })`) has its own registry, `builtinTasks.with(custom)`, so that two engines in
 * one process never see each other's types.
 */
import { definitions } from './definitions.ts';
import type { TaskDefinition, TaskKind } from './types.ts';

export class TaskRegistry {
  private readonly byName = new Map<string, TaskDefinition>();
  private readonly all: TaskDefinition[];

  constructor(defs: readonly TaskDefinition[]) {
    this.all = [...defs];
    for (const def of defs) {
      for (const name of [def.type, ...(def.aliases ?? [])]) {
        const existing = this.byName.get(name);
        if (existing && existing !== def) throw new Error(`task type name registered twice: ${name}`);
        this.byName.set(name, def);
      }
    }
  }

  /** A registry with these types added; a name already taken is an error. */
  with(defs: readonly TaskDefinition[]): TaskRegistry {
    return defs.length === 0 ? this : new TaskRegistry([...this.all, ...defs]);
  }

  /** The definition for a type name as written in a flow (canonical name or alias), if known. */
  find(name: string): TaskDefinition | undefined {
    return this.byName.get(name);
  }

  /** The canonical name of a type, or undefined when the name is unknown. */
  canonical(name: string): string | undefined {
    return this.byName.get(name)?.type;
  }

  isFlowable(name: string): boolean {
    return this.byName.get(name)?.kind === 'flowable';
  }

  isRunnable(name: string): boolean {
    return this.byName.get(name)?.kind === 'runnable';
  }

  list(kind?: TaskKind): TaskDefinition[] {
    return kind ? this.all.filter((d) => d.kind === kind) : [...this.all];
  }
}

/** Baton's own types. */
export const builtinTasks = new TaskRegistry(definitions);

// Shorthands over the built-in types, for code that deals only with them (flowables, triggers, docs).
export const findDefinition = (name: string): TaskDefinition | undefined => builtinTasks.find(name);
export const canonicalType = (name: string): string | undefined => builtinTasks.canonical(name);
export const isFlowable = (name: string): boolean => builtinTasks.isFlowable(name);
export const isRunnable = (name: string): boolean => builtinTasks.isRunnable(name);
export const listDefinitions = (kind?: TaskKind): TaskDefinition[] => builtinTasks.list(kind);
