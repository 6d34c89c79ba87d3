/**
 * io.kestra.plugin.scripts.python.Script: writes `script` to a file in the working dir and runs it with
 * `python` (or `python3` where only python3 is installed).
 */
import type { RunFunction } from '../context.ts';
import { processEnv, runScript, type ScriptProps, scriptFile } from './process.run.ts';
import { choosePython } from './python.run.ts';
import { renderScript } from './render.run.ts';

export { raw } from './render.run.ts';

export const run: RunFunction<ScriptProps & { script: string }> = async (ctx, props) => {
  const p = await renderScript(ctx, props);
  const { name, prelude } = choosePython(ctx, processEnv(ctx, p).PATH ?? '');
  const path = await scriptFile(ctx, `script-${ctx.taskRun.id}.py`, String(p.script));
  return runScript(ctx, p, `${name} "${path}"`, { prelude });
};
