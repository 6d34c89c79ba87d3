/** File-related properties shared by script tasks and WorkingDirectory. */
import { Type } from '@sinclair/typebox';
import { dyn, StringEnum } from '../schema.ts';

export const InputFiles = Type.Union(
  [Type.Record(Type.String(), Type.String({ dynamic: true })), Type.String()],
  {
    dynamic: true,
    description:
      'Files written to the working folder before running: a map of relative path to content (content may ' +
      'be an internal storage URI), or a JSON string / expression rendering to such a map.',
  },
);

export const OutputFiles = Type.Array(Type.String({ dynamic: true }), {
  dynamic: true,
  description:
    'Glob patterns of the files of the working folder to save to the internal storage (outputs `outputFiles`).',
});

export const NamespaceFiles = Type.Object(
  {
    enabled: Type.Optional(
      dyn(Type.Boolean(), { default: true, description: 'Copy the namespace files to the working folder.' }),
    ),
    include: Type.Optional(
      Type.Array(Type.String(), {
        dynamic: true,
        description: 'Glob patterns of the files to copy (all when absent).',
      }),
    ),
    exclude: Type.Optional(
      Type.Array(Type.String(), { dynamic: true, description: 'Glob patterns of the files not to copy.' }),
    ),
    namespaces: Type.Optional(
      Type.Array(Type.String(), {
        dynamic: true,
        description: 'Namespaces to copy the files of; the flow namespace when absent.',
      }),
    ),
    folderPerNamespace: Type.Optional(
      dyn(Type.Boolean(), {
        default: false,
        description: 'Put the files of each namespace in its own folder.',
      }),
    ),
    ifExists: Type.Optional(
      StringEnum(['OVERWRITE', 'FAIL', 'WARN', 'IGNORE'], {
        default: 'OVERWRITE',
        description: 'What to do when a file of several namespaces has the same path.',
      }),
    ),
  },
  {
    additionalProperties: false,
    description: 'Copy files of the namespace (saved with the flow) to the working folder.',
  },
);
