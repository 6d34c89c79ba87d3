import type { TaskDefinition } from '../types.ts';
import { executionConditions } from './execution.ts';
import { logicConditions } from './logic.ts';
import { timeConditions } from './time.ts';

export const conditionDefinitions: TaskDefinition[] = [
  ...executionConditions,
  ...timeConditions,
  ...logicConditions,
];
