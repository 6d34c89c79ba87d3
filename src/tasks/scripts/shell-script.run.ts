/** io.kestra.plugin.scripts.shell.Script: writes `script` to a file in the working dir and runs it with `/bin/sh`. */
import type { RunFunction } from '../../worker/types.ts';
import { runScript, type ScriptProps, scriptFile } from './process.run.ts';

export const run: RunFunction<ScriptProps & { script: string }> = async (ctx, props) => {
  const path = await scriptFile(ctx, `script-${ctx.taskRun.id}.sh`, String(props.script));
  return runScript(ctx, props, `/bin/sh "${path}"`);
};
