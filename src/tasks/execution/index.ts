import type { TaskDefinition } from '../types.ts';
import { assert, exit, fail } from './fail.ts';
import { labels } from './labels.ts';
import { count, purgeExecutions, resume } from './manage.ts';
import { setVariables, unsetVariables } from './variables.ts';

export const executionDefinitions: TaskDefinition[] = [
  fail,
  exit,
  assert,
  labels,
  resume,
  count,
  purgeExecutions,
  setVariables,
  unsetVariables,
];
