import type { TaskDefinition } from '../types.ts';
import { flowTrigger } from './flow.ts';
import { schedule } from './schedule.ts';
import { scheduleOnDates } from './schedule-on-dates.ts';
import { toggle } from './toggle.ts';
import { webhook } from './webhook.ts';

export const triggerDefinitions: TaskDefinition[] = [schedule, scheduleOnDates, webhook, flowTrigger, toggle];
