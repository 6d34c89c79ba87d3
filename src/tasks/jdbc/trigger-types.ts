/**
 * Registers the SQL triggers with the scheduler (imported by the server before its scheduler starts).
 * Light: the drivers load on the first poll.
 */
import { registerTriggerType } from '../../scheduler/registry.ts';
import { sqlTriggerTypes } from './index.ts';
import { sqlTrigger } from './trigger.ts';

// Flows may name a trigger by its short alias too: each name is registered.
for (const type of sqlTriggerTypes) registerTriggerType(sqlTrigger(type));
