/** io.kestra.plugin.scripts.node.Commands: runs `commands` with the interpreter (default `/bin/sh -c`). */
import type { RunFunction } from '../context.ts';
import { runScript, type ScriptProps } from './process.run.ts';
import { renderScript } from './render.run.ts';

export { raw } from './render.run.ts';

export const run: RunFunction<ScriptProps & { commands: string[] | string }> = async (ctx, props) => {
  const p = await renderScript(ctx, props);
  return runScript(ctx, p, (Array.isArray(p.commands) ? p.commands : [p.commands]).join('\n'));
};
