import { Type } from '@sinclair/typebox';
import { Duration, Props, TaskList } from '../schema.ts';
import { InputFiles, NamespaceFiles, OutputFiles } from '../scripts/files.ts';
import type { TaskDefinition } from '../types.ts';
import { errorHandlers } from './common.ts';

const Cache = Type.Object(
  {
    patterns: Type.Array(Type.String(), {
      minItems: 1,
      description: 'Glob patterns of the files to cache, e.g. `node_modules/**`.',
    }),
    ttl: Type.Optional(Duration({ description: 'How long the cache stays valid.' })),
  },
  { additionalProperties: false, description: 'Files kept between executions of this task.' },
);

export const workingDirectory: TaskDefinition = {
  type: 'io.kestra.plugin.core.flow.WorkingDirectory',
  aliases: [
    'io.kestra.core.tasks.flows.WorkingDirectory',
    // Worker is the deprecated name of WorkingDirectory, with the same properties.
    'io.kestra.core.tasks.flows.Worker',
    'io.kestra.plugin.core.flow.Worker',
    'workingdirectory',
  ],
  kind: 'flowable',
  title: 'Run tasks in one shared local folder.',
  description:
    'Runs its `tasks` in order on the same worker, in one temporary folder shared by all of them, so ' +
    'a task can read the files the previous one wrote. Only runnable tasks are allowed inside. ' +
    '`inputFiles` and `namespaceFiles` are written to the folder first; `outputFiles` are saved to ' +
    'the internal storage at the end.',
  example: `id: workdir
type: io.kestra.plugin.core.flow.WorkingDirectory
inputFiles:
  data.txt: hello
tasks:
  - id: read
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - cat data.txt
`,
  properties: Props(
    {
      tasks: TaskList({ minItems: 1, description: 'Runnable tasks run in order in the shared folder.' }),
      cache: Cache,
      inputFiles: InputFiles,
      outputFiles: OutputFiles,
      namespaceFiles: NamespaceFiles,
      ...errorHandlers,
    },
    { required: ['tasks'] },
  ),
  children: { lists: ['tasks', 'errors', 'finally'] },
};
