/** Every registered type. Each group folder exports its definitions; add new groups here. */
import type { TaskDefinition } from './types.ts';

export const definitions: TaskDefinition[] = [];
