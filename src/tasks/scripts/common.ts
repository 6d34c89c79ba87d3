/** Properties shared by the script tasks (shell, node, python; Commands and Script). */
import { Type } from '@sinclair/typebox';
import { dyn, JsonMap, StringEnum } from '../schema.ts';
import { InputFiles, NamespaceFiles, OutputFiles } from './files.ts';

export const scriptCommonProperties = (defaultImage: string) => ({
  beforeCommands: Type.Array(Type.String(), {
    dynamic: true,
    description: 'Commands run before the main ones (e.g. installing packages), in the same shell.',
  }),
  interpreter: Type.Array(Type.String(), {
    default: ['/bin/sh', '-c'],
    description: 'The interpreter and its arguments; the commands are passed as its last argument.',
  }),
  env: JsonMap({ dynamic: true, description: 'Environment variables of the process; values are rendered.' }),
  warningOnStdErr: dyn(Type.Boolean(), {
    default: true,
    description: 'End in WARNING when the process wrote to stderr (and exited with 0).',
  }),
  inputFiles: InputFiles,
  outputFiles: OutputFiles,
  namespaceFiles: NamespaceFiles,
  taskRunner: Type.Object(
    { type: Type.String({ description: 'Task runner type, e.g. `io.kestra.plugin.core.runner.Process`.' }) },
    {
      additionalProperties: true,
      description:
        'Where the process runs. Baton runs every script as a local process; other runners are refused at run time.',
    },
  ),
  containerImage: dyn(Type.String(), {
    default: defaultImage,
    description: 'Container image, used by container task runners (ignored by local processes).',
  }),
  docker: Type.Object(
    {},
    { additionalProperties: true, description: 'Deprecated: Docker options of the old runner.' },
  ),
  runner: StringEnum(['PROCESS', 'DOCKER'], { description: 'Deprecated: use `taskRunner`.' }),
  targetOS: StringEnum(['LINUX', 'WINDOWS', 'AUTO'], {
    default: 'AUTO',
    description: 'Operating system the commands are written for.',
  }),
  failFast: Type.Boolean({ default: true, description: 'Stop at the first failing command (`set -e`).' }),
  outputDirectory: Type.Boolean({ description: 'Deprecated: output files are always collected.' }),
  sandbox: Type.Boolean({
    default: false,
    description:
      "Baton feature: run the process under bubblewrap: it sees the system's programs and libraries (read-only), its working folder and a private /tmp, never the data folder or home folders; no network.",
  }),
});
