import type { FlowableHandler } from './types.ts';
export const pause: FlowableHandler = { advance() {} };
