import type { TaskDefinition } from '../types.ts';
import { download, httpTrigger, request } from './request.ts';

export const httpDefinitions: TaskDefinition[] = [request, download, httpTrigger];
