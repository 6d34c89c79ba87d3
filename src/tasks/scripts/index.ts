/** Script tasks: shell, node and python, each as Commands (a list of commands) or Script (one script). */
import { Type } from '@sinclair/typebox';
import { DString, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { scriptCommonProperties } from './common.ts';

interface Language {
  pkg: string;
  label: string;
  image: string;
  commandExample: string;
  scriptExample: string;
}

const LANGUAGES: Language[] = [
  {
    pkg: 'shell',
    label: 'shell',
    image: 'ubuntu',
    commandExample: 'echo "hello"',
    scriptExample: 'echo "hello from a script"',
  },
  {
    pkg: 'node',
    label: 'Node.js',
    image: 'node',
    commandExample: 'node --version',
    scriptExample: 'console.log("hello")',
  },
  {
    pkg: 'python',
    label: 'Python',
    image: 'ghcr.io/kestra-io/pydata:latest',
    commandExample: 'python3 --version',
    scriptExample: 'print("hello")',
  },
];

const commandsOf = (l: Language): TaskDefinition => ({
  type: `io.kestra.plugin.scripts.${l.pkg}.Commands`,
  aliases: [`${l.pkg}.commands`],
  kind: 'runnable',
  title: `Run ${l.label} commands.`,
  description:
    `Runs \`commands\` one after the other in a ${l.label} environment, in a temporary working folder ` +
    '(`inputFiles` and `namespaceFiles` are written there first). A non-zero exit code fails the task. ' +
    'A line `::{"outputs": {...}}::` on stdout sets outputs; other stdout lines are logged at INFO, stderr ' +
    'lines at WARN. Outputs: `exitCode`, `vars`, `outputFiles`.',
  example: `id: run
type: io.kestra.plugin.scripts.${l.pkg}.Commands
commands:
  - ${l.commandExample}
`,
  properties: Props(
    {
      commands: Type.Union([Type.Array(Type.String()), Type.String()], {
        dynamic: true,
        description:
          'The commands to run; each is rendered (with `{{ workingDir }}`, the working folder), and each ' +
          '`kestra:///` URI in them is replaced by the path of a local copy of that file.',
      }),
      ...scriptCommonProperties(l.image),
    },
    { required: ['commands'] },
  ),
});

const scriptOf = (l: Language): TaskDefinition => ({
  type: `io.kestra.plugin.scripts.${l.pkg}.Script`,
  aliases: [`${l.pkg}.script`],
  kind: 'runnable',
  title: `Run a ${l.label} script.`,
  description:
    `Writes \`script\` to a file and runs it with ${l.label} in a temporary working folder ` +
    '(`inputFiles` and `namespaceFiles` are written there first). A non-zero exit code fails the task. ' +
    'A line `::{"outputs": {...}}::` on stdout sets outputs. Outputs: `exitCode`, `vars`, `outputFiles`.',
  example: `id: run
type: io.kestra.plugin.scripts.${l.pkg}.Script
script: |
  ${l.scriptExample}
`,
  properties: Props(
    {
      script: DString({
        minLength: 1,
        description:
          'The script source; rendered before it runs (with `{{ workingDir }}`), `kestra:///` URIs in it ' +
          'replaced by paths of local copies.',
      }),
      ...scriptCommonProperties(l.image),
    },
    { required: ['script'] },
  ),
});

export const scriptDefinitions: TaskDefinition[] = LANGUAGES.flatMap((l) => [commandsOf(l), scriptOf(l)]);
