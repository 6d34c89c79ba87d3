import type { FlowableHandler } from './types.ts';
export const forEachItem: FlowableHandler = { advance() {} };
export const forEachItemBatches: FlowableHandler = { advance() {} };
