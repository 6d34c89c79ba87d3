/**
 * The trigger types of the integrations, registered with the scheduler's registry under their canonical
 * names and aliases (a flow's trigger type is looked up as written). Imported by the server for this
 * side effect; their client libraries load only when a trigger of theirs runs.
 */

// These register themselves when imported.
import '../tasks/fs/triggers.ts';
import '../tasks/http/triggers.ts';
import '../tasks/jdbc/trigger-types.ts';
import '../tasks/nats/triggers.ts';
import '../tasks/redis/triggers.ts';
import { amqpRealtimeTrigger, amqpTrigger } from '../tasks/amqp/triggers.ts';
import { mqttRealtimeTrigger, mqttTrigger } from '../tasks/mqtt/triggers.ts';
import { findDefinition } from '../tasks/registry.ts';
import { registerTriggerType } from './registry.ts';

for (const type of [amqpTrigger, amqpRealtimeTrigger, mqttTrigger, mqttRealtimeTrigger]) {
  registerTriggerType(type);
  for (const alias of findDefinition(type.type)?.aliases ?? []) registerTriggerType({ ...type, type: alias });
}
