import type { TaskDefinition } from '../types.ts';
import { fetchLogs } from './fetch.ts';
import { log } from './log.ts';
import { purgeLogs } from './purge-logs.ts';

export const logDefinitions: TaskDefinition[] = [log, fetchLogs, purgeLogs];
