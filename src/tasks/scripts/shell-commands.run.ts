/** io.kestra.plugin.scripts.shell.Commands: runs `commands` with the interpreter (default `/bin/sh -c`). */
import type { RunFunction } from '../../worker/types.ts';
import { runScript, type ScriptProps } from './process.run.ts';

export const run: RunFunction<ScriptProps & { commands: string[] | string }> = async (ctx, props) =>
  runScript(ctx, props, (Array.isArray(props.commands) ? props.commands : [props.commands]).join('\n'));
