/**
 * io.kestra.plugin.scripts.python.Commands: runs `commands` with the interpreter (default `/bin/sh -c`);
 * `python` in them is python3 where only python3 is installed.
 */
import type { RunFunction } from '../context.ts';
import { processEnv, runScript, type ScriptProps } from './process.run.ts';
import { choosePython } from './python.run.ts';
import { renderScript } from './render.run.ts';

export { raw } from './render.run.ts';

export const run: RunFunction<ScriptProps & { commands: string[] | string }> = async (ctx, props) => {
  const p = await renderScript(ctx, props);
  const { prelude } = choosePython(ctx, processEnv(ctx, p).PATH ?? '');
  return runScript(ctx, p, (Array.isArray(p.commands) ? p.commands : [p.commands]).join('\n'), { prelude });
};
