/** Flowable (control-flow) tasks, plus Sleep which Kestra files under `flow`. */
import type { TaskDefinition } from '../types.ts';
import { allowFailure } from './allow-failure.ts';
import { dag } from './dag.ts';
import { eachParallel, eachSequential } from './each.ts';
import { forEach } from './foreach.ts';
import { forEachItem } from './foreach-item.ts';
import { ifTask } from './if.ts';
import { loop } from './loop.ts';
import { parallel } from './parallel.ts';
import { pause } from './pause.ts';
import { purgeFlows } from './purge-flows.ts';
import { sequential } from './sequential.ts';
import { sleep } from './sleep.ts';
import { flowTask, subflow } from './subflow.ts';
import { switchTask } from './switch.ts';
import { template } from './template.ts';
import { waitFor } from './waitfor.ts';
import { workingDirectory } from './working-directory.ts';

export const flowDefinitions: TaskDefinition[] = [
  sequential,
  parallel,
  ifTask,
  switchTask,
  forEach,
  eachSequential,
  eachParallel,
  forEachItem,
  loop,
  dag,
  allowFailure,
  subflow,
  flowTask,
  pause,
  waitFor,
  workingDirectory,
  sleep,
  template,
  purgeFlows,
];
