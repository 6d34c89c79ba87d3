/** Every registered type. Each group folder exports its definitions; add new groups here. */
import { amqpDefinitions } from './amqp/index.ts';
import { ansibleDefinitions } from './ansible/index.ts';
import { conditionDefinitions } from './condition/index.ts';
import { debugDefinitions } from './debug/index.ts';
import { executionDefinitions } from './execution/index.ts';
import { flowDefinitions } from './flow/index.ts';
import { fsDefinitions } from './fs/index.ts';
import { gitDefinitions } from './git/index.ts';
import { httpDefinitions } from './http/index.ts';
import { jdbcDefinitions } from './jdbc/index.ts';
import { kvDefinitions } from './kv/index.ts';
import { logDefinitions } from './log/index.ts';
import { mqttDefinitions } from './mqtt/index.ts';
import { namespaceDefinitions } from './namespace/index.ts';
import { natsDefinitions } from './nats/index.ts';
import { notificationDefinitions } from './notifications/index.ts';
import { outputDefinitions } from './output/index.ts';
import { redisDefinitions } from './redis/index.ts';
import { scriptDefinitions } from './scripts/index.ts';
import { stateDefinitions } from './state/index.ts';
import { storageDefinitions } from './storage/index.ts';
import { templatingDefinitions } from './templating/index.ts';
import { triggerDefinitions } from './trigger/index.ts';
import type { TaskDefinition } from './types.ts';

export const definitions: TaskDefinition[] = [
  ...flowDefinitions,
  ...logDefinitions,
  ...debugDefinitions,
  ...outputDefinitions,
  ...executionDefinitions,
  ...kvDefinitions,
  ...stateDefinitions,
  ...storageDefinitions,
  ...templatingDefinitions,
  ...namespaceDefinitions,
  ...httpDefinitions,
  ...jdbcDefinitions,
  ...scriptDefinitions,
  ...triggerDefinitions,
  ...conditionDefinitions,
  ...amqpDefinitions,
  ...mqttDefinitions,
  ...natsDefinitions,
  ...redisDefinitions,
  ...fsDefinitions,
  ...gitDefinitions,
  ...ansibleDefinitions,
  ...notificationDefinitions,
];
