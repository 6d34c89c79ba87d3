/** ansible.cli.AnsibleCLI: the script runner of the shell tasks with Ansible's environment and files. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunFunction } from '../context.ts';
import { checkCommand } from '../scripts/gate.run.ts';
import { processEnv, runScript, type ScriptProps } from '../scripts/process.run.ts';
import { renderScript } from '../scripts/render.run.ts';
import { TaskError } from '../types.ts';

/** `ansibleConfig` is rendered here, with `workingDir`, as the commands are. */
export const raw = ['commands', 'beforeCommands', 'ansibleConfig'] as const;

interface AnsibleProps extends ScriptProps {
  commands: string[];
  ansibleConfig?: string;
  outputLogFile?: boolean;
}

export const run: RunFunction<AnsibleProps> = async (ctx, props) => {
  const p = await renderScript(ctx, props);
  const env: Record<string, unknown> = {
    // Plain text lines in the logs; no retry files left in the working folder.
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: 'false',
    // Ansible buffers its output when it is not a terminal: lines would come at the end only.
    PYTHONUNBUFFERED: '1',
    ...(props.outputLogFile ? { ANSIBLE_LOG_PATH: join(ctx.workingDir, 'log') } : {}),
    ...p.env,
  };
  if (props.ansibleConfig !== undefined) {
    const cfg = String(ctx.renderWith(props.ansibleConfig, { workingDir: ctx.workingDir }));
    await writeFile(join(ctx.workingDir, 'ansible.cfg'), cfg);
  }
  // A missing ansible is a configuration error of the worker, said plainly (not "exit code 127").
  const path = processEnv(ctx, { ...p, env }).PATH;
  for (const command of new Set(p.commands.map((c) => c.trim().split(/\s+/)[0] ?? ''))) {
    if (command.startsWith('ansible'))
      await checkCommand(command, path).catch(() => {
        throw new TaskError(
          `${command} is not installed on this worker: install ansible-core (apt-get install ansible-core)`,
          { retryable: false },
        );
      });
  }
  const outputFiles = [...(p.outputFiles ?? []), ...(props.outputLogFile ? ['log'] : [])];
  return runScript(
    ctx,
    { ...p, env, outputFiles, warningOnStdErr: false, interpreter: ['/bin/sh', '-c'] },
    p.commands.join('\n'),
    { prelude: ['set -e'] },
  );
};
