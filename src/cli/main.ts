/**
 * The `baton` command. Each subcommand lives in its own file of this folder and is loaded on demand,
 * so that `baton validate` does not pay for the engine and `baton run` starts fast.
 */
import pkg from '../../package.json' with { type: 'json' };
import { BatonError, EXIT, exitCodeOf } from '../errors.ts';
import { commandHelp, HELP, overallHelp } from './help.ts';

type Command = { main(argv: string[]): Promise<number> };

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: () => import('./run.ts'),
  validate: () => import('./validate.ts'),
  schema: () => import('./schema.ts'),
  docs: () => import('./docs.ts'),
  executions: () => import('./executions.ts'),
  logs: () => import('./logs.ts'),
  restart: () => import('./operate.ts').then((m) => m.restart),
  replay: () => import('./operate.ts').then((m) => m.replay),
  resume: () => import('./operate.ts').then((m) => m.resume),
  kill: () => import('./operate.ts').then((m) => m.kill),
  server: () => import('./server.ts'),
  deploy: () => import('./deploy.ts'),
  users: () => import('./users.ts'),
  tokens: () => import('./tokens.ts'),
  audit: () => import('./audit.ts'),
  worker: () => import('./worker.ts'),
  cluster: () => import('./cluster.ts'),
};

/** The commands that also act on a server (`--server URL`, or `BATON_SERVER` without `--data`). */
const REMOTE: Record<string, () => Promise<Command>> = {
  run: () => import('./remote/run.ts'),
  executions: () => import('./remote/executions.ts'),
  logs: () => import('./remote/logs.ts'),
  restart: () => import('./remote/operate.ts').then((m) => m.restart),
  replay: () => import('./remote/operate.ts').then((m) => m.replay),
  resume: () => import('./remote/operate.ts').then((m) => m.resume),
  kill: () => import('./remote/operate.ts').then((m) => m.kill),
  cluster: () => import('./cluster.ts').then((m) => ({ main: m.remote })),
};

const given = (argv: string[], option: string) =>
  argv.some((a) => a === option || a.startsWith(`${option}=`));

/** Whether a command acts on a server: `--server` given, or `BATON_SERVER` set and no `--data` given. */
const onServer = (argv: string[]): boolean =>
  given(argv, '--server') || (Boolean(process.env.BATON_SERVER) && !given(argv, '--data'));

const isHelp = (a: string | undefined) => a === '--help' || a === '-h' || a === 'help';

const [command, ...rest] = process.argv.slice(2);
if (command === '--version' || command === '-v' || command === 'version') {
  console.log(pkg.version);
} else if (!command || isHelp(command)) {
  console.log(overallHelp(pkg.version));
  process.exitCode = command ? 0 : 2;
} else if (!COMMANDS[command] || !HELP[command]) {
  console.error(`baton: unknown command '${command}'\n\n${overallHelp(pkg.version)}`);
  process.exitCode = 2;
} else if (rest.some((a) => a === '--help' || a === '-h')) {
  console.log(commandHelp(command));
} else {
  try {
    const remote = REMOTE[command];
    const mod = await (remote && onServer(rest) ? remote : COMMANDS[command])();
    process.exitCode = await mod.main(rest);
  } catch (error) {
    // Expected failures (bad usage, invalid flow, unusable data folder) print their message; anything
    // else is a bug or an environment problem, shown with its stack for the report.
    const code = exitCodeOf(error);
    const text = error instanceof Error ? error.message : String(error);
    console.error(`baton ${command}: ${text}`);
    if (code === EXIT.internal && error instanceof Error && !(error instanceof BatonError) && error.stack)
      console.error(error.stack);
    process.exitCode = code;
  }
}
