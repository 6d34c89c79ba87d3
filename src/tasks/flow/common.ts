/** Properties shared by flowable tasks that hold child tasks. */
import { TaskList } from '../schema.ts';

export const errorsProperty = TaskList({
  description: 'Tasks run when one of the child tasks fails; the task still ends FAILED.',
});

export const finallyProperty = TaskList({
  description: 'Tasks always run once the child tasks are done, whatever their final state.',
});

/** `errors` and `finally`, accepted by every flowable task with children. */
export const errorHandlers = { errors: errorsProperty, finally: finallyProperty };
