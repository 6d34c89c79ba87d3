/**
 * storage.LocalFiles (deprecated in Kestra): writes `inputs` (name → content or kestra:/// URI) into the
 * working directory (shared with the other tasks of a WorkingDirectory), and saves the files matching the
 * `outputs` globs to internal storage; outputs `uris` {relative path: uri}.
 */

import type { RunFunction } from '../context.ts';
import { collectOutputFiles, writeInputFiles } from '../scripts/files.run.ts';

export const run: RunFunction<{ inputs?: Record<string, unknown> | string; outputs?: string[] }> = async (
  ctx,
  props,
) => {
  await writeInputFiles(ctx, props.inputs);
  const uris = (await collectOutputFiles(ctx, props.outputs)) ?? {};
  return { outputs: { uris } };
};
