import type { FlowableHandler } from './types.ts';
export const subflow: FlowableHandler = { advance() {} };
