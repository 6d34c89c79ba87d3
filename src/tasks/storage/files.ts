/** Tasks that create, combine, split or delete files of the internal storage. */
import { Type } from '@sinclair/typebox';
import { DString, dyn, JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const uri = (description: string) => DString({ minLength: 1, description });

export const write: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.Write',
  aliases: ['storage.write'],
  kind: 'runnable',
  title: 'Write text to a file of the internal storage.',
  description: 'Renders `content` and stores it as a file. Output: `uri`.',
  example: `id: save
type: io.kestra.plugin.core.storage.Write
content: "id,name\\n1,apple\\n"
extension: .csv
`,
  properties: Props(
    {
      content: DString({ description: 'The text to write.' }),
      extension: DString({ default: '.ion', description: 'Extension of the file name.' }),
    },
    { required: ['content'] },
  ),
};

export const concat: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.Concat',
  aliases: ['io.kestra.core.tasks.storages.Concat', 'storage.concat'],
  kind: 'runnable',
  title: 'Concatenate files of the internal storage into one.',
  description:
    'Writes the content of each file of `files` one after the other, with `separator` between them, into ' +
    'a new file. `files` is a list of URIs or a JSON string / expression rendering to one. Output: `uri`.',
  example: `id: merge
type: io.kestra.plugin.core.storage.Concat
files:
  - "{{ outputs.a.uri }}"
  - "{{ outputs.b.uri }}"
separator: "\\n"
`,
  properties: Props(
    {
      files: Type.Union([Type.Array(Type.String()), Type.String()], {
        dynamic: true,
        description: 'The file URIs, or a JSON array string / expression rendering to one.',
      }),
      separator: DString({ description: 'Text written between two files.' }),
      extension: DString({ default: '.tmp', description: 'Extension of the created file.' }),
    },
    { required: ['files'] },
  ),
};

export const split: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.Split',
  aliases: ['io.kestra.core.tasks.storages.Split', 'storage.split'],
  kind: 'runnable',
  title: 'Split a file of the internal storage into several.',
  description:
    'Splits the file `from` by size (`bytes`), number of `partitions`, or number of `rows`; set exactly ' +
    'one of them. Output: `uris`, the list of created files.',
  example: `id: chunks
type: io.kestra.plugin.core.storage.Split
from: "{{ outputs.save.uri }}"
rows: 1000
`,
  properties: Props(
    {
      from: uri('URI of the file to split.'),
      bytes: DString({ description: 'Maximum size of each part, e.g. `10MB`.' }),
      partitions: dyn(Type.Integer({ minimum: 1 }), { description: 'Number of parts.' }),
      rows: dyn(Type.Integer({ minimum: 1 }), { description: 'Number of lines per part.' }),
      separator: DString({ default: '\n', description: 'Line separator.' }),
    },
    { required: ['from'] },
  ),
};

export const size: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.Size',
  aliases: ['io.kestra.core.tasks.storages.Size', 'storage.size'],
  kind: 'runnable',
  title: 'Get the size of a file of the internal storage.',
  description: 'Output: `size` in bytes of the file `uri`.',
  example: `id: size
type: io.kestra.plugin.core.storage.Size
uri: "{{ outputs.save.uri }}"
`,
  properties: Props({ uri: uri('URI of the file.') }, { required: ['uri'] }),
};

export const deleteFile: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.Delete',
  aliases: ['io.kestra.core.tasks.storages.Delete', 'storage.delete'],
  kind: 'runnable',
  title: 'Delete a file of the internal storage.',
  description: 'Deletes the file `uri`. Outputs: `uri` and `deleted`.',
  example: `id: cleanup
type: io.kestra.plugin.core.storage.Delete
uri: "{{ outputs.save.uri }}"
`,
  properties: Props(
    {
      uri: uri('URI of the file to delete.'),
      errorOnMissing: Type.Boolean({ default: false, description: 'Fail when the file does not exist.' }),
    },
    { required: ['uri'] },
  ),
};

export const localFiles: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.LocalFiles',
  aliases: ['io.kestra.core.tasks.storages.LocalFiles', 'localfiles'],
  kind: 'runnable',
  deprecated: true,
  title: 'Create or collect local files in a WorkingDirectory (deprecated).',
  description:
    'Inside a `WorkingDirectory`: writes `inputs` (path → content) to the folder and saves the files ' +
    'matching `outputs` to the internal storage (output `uris`). Replaced by `inputFiles` / `outputFiles`.',
  example: `id: files
type: io.kestra.plugin.core.storage.LocalFiles
inputs:
  hello.txt: Hello
outputs:
  - "*.txt"
`,
  properties: Props({
    inputs: Type.Union([JsonMap(), Type.String()], {
      dynamic: true,
      description: 'Files to create: path → content (content may be an internal storage URI).',
    }),
    outputs: Type.Array(Type.String(), { dynamic: true, description: 'Glob patterns of the files to save.' }),
  }),
};

export const purgeCurrentExecutionFiles: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles',
  aliases: [
    'io.kestra.core.tasks.storages.PurgeExecution',
    'io.kestra.plugin.core.storage.PurgeExecution',
    'purgecurrentexecutionfiles',
  ],
  kind: 'runnable',
  title: 'Delete the files of the current execution.',
  description:
    'Deletes every file the current execution stored in the internal storage (inputs and outputs). ' +
    'Usually the last task of a flow handling sensitive data. Output: `uris` of the deleted files.',
  example: `id: purge
type: io.kestra.plugin.core.storage.PurgeCurrentExecutionFiles
`,
  properties: Props({}),
};
