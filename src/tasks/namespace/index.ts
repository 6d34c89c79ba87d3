/** Namespace files tasks: files saved with a namespace and shared by its flows. */
import { Type } from '@sinclair/typebox';
import { DString, dyn, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const namespace = DString({ minLength: 1, description: 'The namespace whose files are used.' });
const globs = (description: string) =>
  Type.Union([Type.Array(Type.String()), Type.String()], { dynamic: true, description });

export const uploadFiles: TaskDefinition = {
  type: 'io.kestra.plugin.core.namespace.UploadFiles',
  aliases: ['namespace.uploadfiles'],
  kind: 'runnable',
  title: 'Save files as namespace files.',
  description:
    'Copies files to the namespace files of `namespace`: either local files of the working folder matched ' +
    'by the glob patterns of `files` (in a WorkingDirectory), or `filesMap` of destination path → ' +
    'internal storage URI or content. `conflict` says what to do with existing files.',
  example: `id: upload
type: io.kestra.plugin.core.namespace.UploadFiles
namespace: company.team
filesMap:
  config/settings.json: "{{ outputs.build.uri }}"
`,
  properties: Props(
    {
      namespace,
      files: Type.Union(
        [Type.Array(Type.String()), Type.Record(Type.String(), Type.String()), Type.String()],
        {
          dynamic: true,
          description: 'Glob patterns of local files to upload (a map is read as `filesMap`).',
        },
      ),
      filesMap: Type.Union([Type.Record(Type.String(), Type.String()), Type.String()], {
        dynamic: true,
        description: 'Destination path → internal storage URI (or content) of each file.',
      }),
      destination: DString({ default: '/', description: 'Folder of the namespace files to upload to.' }),
      conflict: dyn(StringEnum(['OVERWRITE', 'ERROR', 'SKIP']), {
        default: 'OVERWRITE',
        description: 'What to do when a file already exists.',
      }),
    },
    { required: ['namespace'] },
  ),
};

export const downloadFiles: TaskDefinition = {
  type: 'io.kestra.plugin.core.namespace.DownloadFiles',
  aliases: ['namespace.downloadfiles'],
  kind: 'runnable',
  title: 'Copy namespace files to the internal storage.',
  description:
    'Copies the namespace files matching the glob patterns of `files` to the internal storage. Output: ' +
    '`files`, a map of path → internal storage URI.',
  example: `id: download
type: io.kestra.plugin.core.namespace.DownloadFiles
namespace: company.team
files:
  - "config/**"
`,
  properties: Props(
    {
      namespace,
      files: globs('Glob patterns of the namespace files to copy.'),
      destination: DString({ default: '', description: 'Prefix added to the paths of the copied files.' }),
    },
    { required: ['namespace', 'files'] },
  ),
};

export const deleteFiles: TaskDefinition = {
  type: 'io.kestra.plugin.core.namespace.DeleteFiles',
  aliases: ['namespace.deletefiles'],
  kind: 'runnable',
  title: 'Delete namespace files.',
  description: 'Deletes the namespace files matching the glob patterns of `files`.',
  example: `id: delete
type: io.kestra.plugin.core.namespace.DeleteFiles
namespace: company.team
files:
  - "tmp/**"
`,
  properties: Props(
    {
      namespace,
      files: globs('Glob patterns of the namespace files to delete.'),
      deleteParentFolder: dyn(Type.Boolean(), {
        default: false,
        description: 'Also delete folders left empty.',
      }),
    },
    { required: ['namespace', 'files'] },
  ),
};

export const purgeFiles: TaskDefinition = {
  type: 'io.kestra.plugin.core.namespace.PurgeFiles',
  aliases: ['namespace.purgefiles'],
  kind: 'runnable',
  since: '1.0',
  title: 'Delete versions of namespace files.',
  description:
    'Deletes versions of the namespace files of `namespaces` (with their child namespaces unless ' +
    '`includeChildNamespaces: false`) or of `namespacePattern`, optionally only of paths matching ' +
    '`filePattern`. `behavior` (`type: version`) keeps the `keepAmount` latest versions of each file, or ' +
    'deletes the old versions saved before `before`; without either it deletes every version. Baton keeps ' +
    'one version per file, so only `keepAmount: 0` or a `behavior` without limits deletes files. ' +
    'Namespaces are found among those listed and those of saved flows. Output: `size`.',
  example: `id: purge_files
type: io.kestra.plugin.core.namespace.PurgeFiles
namespaces:
  - company
filePattern: "**/*.sql"
behavior:
  type: version
  keepAmount: 1
`,
  properties: Props(
    {
      namespaces: Type.Array(Type.String(), {
        dynamic: true,
        description:
          'Namespaces whose files are purged; all when absent. Not together with `namespacePattern`.',
      }),
      namespacePattern: DString({
        description: 'Glob pattern of the namespaces. Not together with `namespaces`.',
      }),
      includeChildNamespaces: dyn(Type.Boolean(), {
        default: true,
        description: 'With `namespaces`: their child namespaces too.',
      }),
      filePattern: DString({ description: 'Pattern of the file paths, e.g. `**/*.sql`.' }),
      behavior: Type.Object(
        {
          type: Type.Literal('version', { description: 'Purge by version.' }),
          keepAmount: Type.Optional(
            dyn(Type.Integer({ minimum: 0 }), { description: 'Versions kept per file.' }),
          ),
          before: Type.Optional(
            DString({ description: 'Delete the old versions saved before this instant.' }),
          ),
        },
        {
          additionalProperties: false,
          description: 'Which versions go; `{type: version, keepAmount: 1}` when absent.',
        },
      ),
    },
    {},
  ),
};

export const namespaceDefinitions: TaskDefinition[] = [uploadFiles, downloadFiles, deleteFiles, purgeFiles];
