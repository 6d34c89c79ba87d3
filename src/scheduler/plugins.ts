/**
 * The trigger types of the integrations, registered with the scheduler's registry. Imported by the
 * server for this side effect; their client libraries load only when a trigger of theirs runs.
 */
import { amqpRealtimeTrigger, amqpTrigger } from '../tasks/amqp/triggers.ts';
import { mqttRealtimeTrigger, mqttTrigger } from '../tasks/mqtt/triggers.ts';
import { registerTriggerType } from './registry.ts';

for (const type of [amqpTrigger, amqpRealtimeTrigger, mqttTrigger, mqttRealtimeTrigger])
  registerTriggerType(type);
