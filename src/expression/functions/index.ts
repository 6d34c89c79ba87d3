/** Registry of functions: only these can be called with `name(...)`. */
import type { FunctionFn } from '../env.ts';
import { CALENDAR_FUNCTIONS } from './calendar.ts';
import { CORE_FUNCTIONS } from './core.ts';
import { DATA_FUNCTIONS } from './data.ts';
import { EXECUTION_FUNCTIONS } from './execution.ts';
import { ID_FUNCTIONS } from './ids.ts';
import { IO_FUNCTIONS } from './io.ts';

export const FUNCTIONS = new Map<string, FunctionFn>(
  Object.entries({
    ...CORE_FUNCTIONS,
    ...ID_FUNCTIONS,
    ...DATA_FUNCTIONS,
    ...CALENDAR_FUNCTIONS,
    ...IO_FUNCTIONS,
    ...EXECUTION_FUNCTIONS,
  }),
);
