/**
 * What `baton <command> --help` prints: each command's usage line and options. Kept in one table so that
 * `baton --help` and every command's help stay consistent, and printed without loading the command.
 */
export interface CommandHelp {
  summary: string;
  usage: string;
  /** Option → what it does. */
  options?: Record<string, string>;
}

const DATA = {
  '--data DIR': 'data folder (default ./.baton, or $BATON_DATA)',
  '--db URL':
    'the database: a postgres:// URL (add ?schema=NAME for a schema of its own) or a SQLite file ' +
    '(default $BATON_DATABASE_URL, else baton.db in the data folder)',
};
const SERVER_URL =
  'the server (default $BATON_SERVER); credentials from $BATON_SERVER_TOKEN, or ' +
  '$BATON_SERVER_USER and $BATON_SERVER_PASSWORD';
/** For the commands that act on a server too: with it (or $BATON_SERVER without --data), not embedded. */
const SERVER = { '--server URL': `act on a server instead of the data folder: ${SERVER_URL}` };
const LOCAL = { ...DATA, ...SERVER };

export const HELP: Record<string, CommandHelp> = {
  run: {
    summary: 'run a flow file (on the embedded store, or a server) and show its progress',
    usage: 'baton run FLOW.yaml [options]',
    options: {
      '-i, --input KEY=VALUE': 'an input value (repeatable); KEY=@PATH uploads a file for a FILE input',
      '-l, --label KEY=VALUE': 'a label of the execution (repeatable)',
      '--flows DIR': 'where subflows are read from (default: the flow file’s folder; not with --server)',
      '--json': 'JSON lines instead of the live view',
      ...LOCAL,
    },
  },
  validate: {
    summary: 'validate flow files or folders',
    usage: 'baton validate PATH...',
    options: { '-q, --quiet': 'print only errors' },
  },
  schema: { summary: 'print the JSON Schema of a flow', usage: 'baton schema' },
  docs: {
    summary: 'document a task type (or list them all)',
    usage: 'baton docs [TYPE]',
  },
  executions: {
    summary: 'list or show executions',
    usage: 'baton executions list [options] | baton executions show ID',
    options: {
      '--namespace NS': 'only executions of this namespace',
      '--flow ID': 'only executions of this flow',
      '--state STATE': 'only executions in this state (repeatable)',
      '--limit N': 'at most N executions',
      '--json': 'JSON instead of a table',
      ...LOCAL,
    },
  },
  logs: {
    summary: 'print the logs of an execution',
    usage: 'baton logs EXECUTION_ID [options]',
    options: {
      '--level LEVEL': 'only lines at this level or above (TRACE, DEBUG, INFO, WARN, ERROR)',
      '--task TASK_ID': 'only lines of this task',
      '-f, --follow': 'keep printing until the execution ends',
      ...LOCAL,
    },
  },
  restart: {
    summary: 'restart a failed execution from its failed tasks',
    usage: 'baton restart EXECUTION_ID',
    options: LOCAL,
  },
  replay: {
    summary: 'replay an execution, from a task if given',
    usage: 'baton replay EXECUTION_ID [--from TASK_ID]',
    options: { '--from TASK_ID': 'the task (or task run id) to replay from', ...LOCAL },
  },
  resume: {
    summary: 'resume a paused execution',
    usage: 'baton resume EXECUTION_ID [--input KEY=VALUE ...]',
    options: { '-i, --input KEY=VALUE': 'an onResume input (repeatable)', ...LOCAL },
  },
  kill: { summary: 'kill an execution and its subflows', usage: 'baton kill EXECUTION_ID', options: LOCAL },
  server: {
    summary: 'run the server: API, scheduler, executor and worker in one process',
    usage: 'baton server [options]',
    options: {
      '--host HOST': 'address to listen on (default 127.0.0.1)',
      '--port PORT':
        'port to listen on (default 8080); without the api role, only if given: health and metrics only',
      '--flows DIR': 'load the flows of this folder at start and watch it',
      '--roles LIST': 'parts to run: api,scheduler,executor,worker (default all)',
      '--slots N': 'worker slots: tasks run at once (default 32)',
      '--group NAME': 'worker group: run only tasks with workerGroup.key NAME (default: tasks without one)',
      '--grace SECONDS': 'how long running tasks get to finish at a stop (default 30)',
      '--log-format FORMAT': 'text (default) or json',
      '--cors-origin ORIGIN':
        'let pages of this origin call the API from a browser (repeatable; default none)',
      '--retention AGE':
        'purge ended executions (task runs, logs, metrics, files) this long after their end: 30d, 12h, 90m, 45s or P30D (default $BATON_RETENTION, else off: nothing is purged)',
      '--retention-ns NS=AGE':
        'the age for namespace NS and those below it; the most specific wins (repeatable)',
      '--audit-retention AGE':
        'purge audit entries older than this (default $BATON_AUDIT_RETENTION, else off: kept forever)',
      ...DATA,
    },
  },
  users: {
    summary: 'manage the server’s users (on the data folder)',
    usage: 'baton users add NAME [options] | list | set NAME [options] | delete NAME',
    options: {
      '--role ROLE[:NS]':
        'a role binding: viewer, runner, editor or admin on * (default), company.team or company.* (repeatable; with set, replaces them all)',
      '--password-stdin': 'read the password from standard input (without it, add creates a token-only user)',
      '--disable, --enable': 'with set: refuse or allow the user’s sign-ins',
      '--json': 'with list: JSON instead of a table',
      ...DATA,
    },
  },
  tokens: {
    summary: 'manage API tokens (on the data folder)',
    usage: 'baton tokens create --user NAME --name N [--expires 30d] | list [--user NAME] | revoke ID',
    options: {
      '--user NAME': 'the user the token acts as',
      '--name N': 'what the token is for',
      '--expires DURATION': 'expire after 90m, 12h, 30d, 8w or an ISO-8601 duration (default: never)',
      '--json': 'with list: JSON instead of a table',
      ...DATA,
    },
  },
  worker: {
    summary: 'run a worker only (baton server --roles worker), of a worker group if given',
    usage: 'baton worker [--slots N] [--group NAME] [options]',
    options: {
      '--slots N': 'tasks run at once (default 32)',
      '--group NAME': 'run only tasks with workerGroup.key NAME (default: tasks without one)',
      '--grace SECONDS': 'how long running tasks get to finish at a stop (default 30)',
      '--log-format FORMAT': 'text (default) or json',
      ...DATA,
    },
  },
  cluster: {
    summary: 'list the running Baton processes (heartbeats): roles, worker group, slots, lag',
    usage: 'baton cluster [--json] [--data DIR | --server URL]',
    options: {
      '--json': 'JSON instead of a table',
      '--server URL': 'ask this server (or BATON_SERVER) instead of the data folder',
      ...DATA,
    },
  },
  audit: {
    summary: 'print the audit log, newest first (on the data folder)',
    usage: 'baton audit [options]',
    options: {
      '--actor NAME': 'only entries by this user',
      '--action ACTION': 'only this action (user.update) or family (user)',
      '--namespace NS': 'only entries of this namespace',
      '--target TARGET': 'only entries about this target',
      '--since WHEN': 'only entries since an ISO instant or a duration ago (30m, 12h, 7d)',
      '--limit N': 'at most N entries (default 50)',
      '--json': 'JSON instead of lines',
      ...DATA,
    },
  },
  deploy: {
    summary: 'deploy a folder of flows to a server (validated first; a revision only for a change)',
    usage: 'baton deploy DIR --server URL [--namespace NS] [--delete]',
    options: {
      '--server URL': SERVER_URL,
      '--namespace NS': 'every flow must be in NS or below it; --delete then covers NS and below',
      '--delete': 'delete the server’s flows of the deployed namespaces that the folder no longer has',
    },
  },
};

export const commandHelp = (name: string): string => {
  const h = HELP[name];
  if (!h) return '';
  const lines = [`usage: ${h.usage}`, '', h.summary];
  const options = Object.entries(h.options ?? {});
  if (options.length > 0) {
    const width = Math.max(...options.map(([o]) => o.length)) + 2;
    lines.push('', 'options:', ...options.map(([o, d]) => `  ${o.padEnd(width)}${d}`));
  }
  lines.push(`  ${'-h, --help'.padEnd(Math.max(12, ...options.map(([o]) => o.length + 2)))}this help`);
  return lines.join('\n');
};

export const overallHelp = (version: string): string =>
  [
    `baton ${version}: run Kestra-compatible flows`,
    '',
    'usage: baton <command> [options]      baton <command> --help',
    '',
    ...Object.entries(HELP).map(([name, c]) => `  ${name.padEnd(11)} ${c.summary}`),
    '',
    'Options: --version, --help',
    '',
    'Exit codes: 0 done (SUCCESS or WARNING), 1 the execution ended otherwise (FAILED, KILLED...),',
    '            2 bad usage, invalid flow or inputs (nothing ran), 3 internal error.',
    '            With --server: a request the server refused (bad credentials, no permission, unknown',
    '            execution) exits 2; a server that cannot be reached, or that failed (5xx), exits 3.',
  ].join('\n');
