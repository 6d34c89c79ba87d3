/**
 * The `baton` command. Each subcommand lives in its own file of this folder and is loaded on demand,
 * so that `baton validate` does not pay for the engine and `baton run` starts fast.
 */
const COMMANDS: Record<
  string,
  { summary: string; load: () => Promise<{ main(argv: string[]): Promise<number> }> }
> = {
  run: {
    summary: 'run a flow file on the embedded store and show its progress',
    load: () => import('./run.ts'),
  },
  validate: { summary: 'validate flow files or folders', load: () => import('./validate.ts') },
  schema: { summary: 'print the JSON Schema of a flow', load: () => import('./schema.ts') },
  docs: { summary: 'document a task type (or list them all)', load: () => import('./docs.ts') },
  executions: { summary: 'list or show executions', load: () => import('./executions.ts') },
  logs: { summary: 'print the logs of an execution', load: () => import('./logs.ts') },
  restart: {
    summary: 'restart a failed execution',
    load: () => import('./operate.ts').then((m) => m.restart),
  },
  replay: {
    summary: 'replay an execution from a task',
    load: () => import('./operate.ts').then((m) => m.replay),
  },
  resume: { summary: 'resume a paused execution', load: () => import('./operate.ts').then((m) => m.resume) },
  kill: { summary: 'kill an execution', load: () => import('./operate.ts').then((m) => m.kill) },
};

const usage = (): string =>
  [
    'usage: baton <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`),
    '',
    'Common options: --data DIR (default: ./.baton, or $BATON_DATA)',
  ].join('\n');

const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h' || command === 'help') {
  console.log(usage());
  process.exitCode = command ? 0 : 1;
} else if (!COMMANDS[command]) {
  console.error(`baton: unknown command '${command}'\n\n${usage()}`);
  process.exitCode = 2;
} else {
  try {
    const mod = await COMMANDS[command].load();
    process.exitCode = await mod.main(rest);
  } catch (error) {
    console.error(`baton ${command}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
