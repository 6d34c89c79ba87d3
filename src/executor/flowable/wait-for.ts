import type { FlowableHandler } from './types.ts';
export const waitFor: FlowableHandler = { advance() {} };
