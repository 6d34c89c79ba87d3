/** Flowable handlers by canonical task type. Built on first use (the handler modules import each other). */
import type { Task } from '../../flow/types.ts';
import { canonical, T } from '../tasks.ts';
import { allowFailure } from './allow-failure.ts';
import { dag } from './dag.ts';
import { forEach } from './for-each.ts';
import { forEachItem, forEachItemBatches } from './for-each-item.ts';
import { ifHandler } from './if.ts';
import { loop } from './loop.ts';
import { parallel } from './parallel.ts';
import { pause } from './pause.ts';
import { sequential } from './sequential.ts';
import { subflow } from './subflow.ts';
import { switchHandler } from './switch.ts';
import type { FlowableHandler } from './types.ts';
import { setVariables, unsetVariables } from './variables.ts';
import { waitFor } from './wait-for.ts';

let handlers: Map<string, FlowableHandler> | undefined;

export const handlerFor = (task: Task): FlowableHandler | undefined => {
  handlers ??= new Map<string, FlowableHandler>([
    [T.sequential, sequential],
    [T.workingDirectory, sequential],
    [T.allowFailure, allowFailure],
    [T.parallel, parallel],
    [T.if, ifHandler],
    [T.switch, switchHandler],
    [T.forEach, forEach],
    [T.loop, loop],
    [T.eachSequential, forEach],
    [T.eachParallel, forEach],
    [T.dag, dag],
    [T.subflow, subflow],
    [T.flow, subflow],
    [T.pause, pause],
    [T.waitFor, waitFor],
    [T.loopUntil, waitFor],
    [T.forEachItem, forEachItem],
    [T.forEachItemExecutable, forEachItemBatches],
    [T.setVariables, setVariables],
    [T.unsetVariables, unsetVariables],
  ]);
  return handlers.get(canonical(task.type));
};
