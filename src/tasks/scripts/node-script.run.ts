/** io.kestra.plugin.scripts.node.Script: writes `script` to a file in the working dir and runs it with `node`. */
import type { RunFunction } from '../context.ts';
import { runScript, type ScriptProps, scriptFile } from './process.run.ts';
import { renderScript } from './render.run.ts';

export { raw } from './render.run.ts';

export const run: RunFunction<ScriptProps & { script: string }> = async (ctx, props) => {
  const p = await renderScript(ctx, props);
  const path = await scriptFile(ctx, `script-${ctx.taskRun.id}.js`, String(p.script));
  return runScript(ctx, p, `node "${path}"`);
};
