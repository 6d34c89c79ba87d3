import type { TaskDefinition } from '../types.ts';
import { download, httpTrigger, request } from './request.ts';
import { sseRequest } from './sse-request.ts';

export const httpDefinitions: TaskDefinition[] = [request, download, sseRequest, httpTrigger];
