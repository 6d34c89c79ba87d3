/** Registry of functions: only these can be called with `name(...)`. */
import type { FunctionFn } from '../env.ts';
import { CORE_FUNCTIONS } from './core.ts';
import { EXECUTION_FUNCTIONS } from './execution.ts';
import { IO_FUNCTIONS } from './io.ts';

export const FUNCTIONS = new Map<string, FunctionFn>(
  Object.entries({
    ...CORE_FUNCTIONS,
    ...IO_FUNCTIONS,
    ...EXECUTION_FUNCTIONS,
  }),
);
