/**
 * The shared folder of a WorkingDirectory: made when its first child job runs, with the WorkingDirectory's
 * own `namespaceFiles` and `inputFiles` written into it before that child starts.
 */
import { existsSync } from 'node:fs';
import { findTaskInFlow } from '../executor/context.ts';
import type { TaskRunContext } from '../tasks/context.ts';
import { renderProps } from '../tasks/props.ts';
import { findDefinition } from '../tasks/registry.ts';
import { writeInputFiles } from '../tasks/scripts/files.run.ts';
import { type NamespaceFilesSpec, writeNamespaceFiles } from '../tasks/scripts/namespace-files.run.ts';
import type { LoadedJob, WorkerJobPayload } from './types.ts';

/**
 * Before a child of a WorkingDirectory runs: when the shared folder does not exist yet (this is the
 * first child), make it with the parent's files. The children run one after the other, so the first
 * child is alone here; a first child re-run after a crash finds the folder made and leaves it as it is.
 */
export const prepareSharedFolder = async (
  ctx: TaskRunContext,
  job: LoadedJob,
  payload: WorkerJobPayload,
  folder: string,
): Promise<void> => {
  if (!payload.workingDirectory || existsSync(folder)) return;
  const parentRun = job.execution.taskRuns.find((tr) => tr.id === payload.workingDirectory);
  const parent = parentRun && findTaskInFlow(job.flow, parentRun.taskId);
  void ctx.workingDir; // makes the folder
  if (!parent) return;
  const { inputFiles, namespaceFiles } = renderProps(
    { inputFiles: parent.inputFiles, namespaceFiles: parent.namespaceFiles },
    findDefinition(parent.type),
    ctx.render,
  ) as { inputFiles?: Record<string, unknown> | string; namespaceFiles?: NamespaceFilesSpec };
  await writeNamespaceFiles(ctx, namespaceFiles);
  await writeInputFiles(ctx, inputFiles);
};
