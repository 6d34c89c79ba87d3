/**
 * Local file triggers (`io.kestra.plugin.fs.local`): the polling Trigger and the RealtimeTrigger. Only
 * folders under the server's allowed paths (`BATON_ALLOWED_PATHS`, colon-separated) may be watched.
 */
import { Type } from '@sinclair/typebox';
import { DEnum, DString, dyn, JsonMap, Props, StaticDuration } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const FS = 'io.kestra.plugin.fs.local';

const from = DString({
  minLength: 1,
  description: 'Absolute path of the folder to watch; must be under the server setting BATON_ALLOWED_PATHS.',
});
const recursive = dyn(Type.Boolean(), { default: false, description: 'Watch the sub-folders too.' });
const regExp = DString({ description: 'Only files whose absolute path matches this regular expression.' });
const inputs = JsonMap({ dynamic: true, description: 'Inputs of the executions started.' });
const fileFields =
  '`name`, `localPath` (where it was found), `parent`, `size`, `createdDate`, `modifiedDate`, ' +
  '`accessedDate` and `uri`, a copy in internal storage that the execution reads whatever becomes of the file';

export const fsDefinitions: TaskDefinition[] = [
  {
    type: `${FS}.Trigger`,
    aliases: ['fs.local.trigger'],
    kind: 'trigger',
    title: 'Start an execution with the new files of a local folder.',
    description:
      'Every `interval`, lists `from`; a file is taken once its size is the same at two polls in a row (so a ' +
      'file still being written is not), at most `maxFiles` per execution. `{{ trigger.files }}` lists them: ' +
      `${fileFields}. Once the execution is stored, \`action\` MOVE moves them to \`moveDirectory\`, DELETE ` +
      'deletes them; with NONE a file is taken again only when it changes. Requires the server setting ' +
      'BATON_ALLOWED_PATHS to include the folders.',
    example: `id: watch
type: io.kestra.plugin.fs.local.Trigger
from: /data/incoming
interval: PT10S
action: MOVE
moveDirectory: /data/archive
`,
    properties: Props(
      {
        from,
        interval: StaticDuration({ default: 'PT60S', description: 'Time between polls.' }),
        recursive,
        action: DEnum(['MOVE', 'DELETE', 'NONE'], {
          default: 'NONE',
          description: 'What to do with the files taken, once the execution is stored.',
        }),
        moveDirectory: DString({
          description: 'With MOVE: where to (sub-folders kept); an allowed path too.',
        }),
        maxFiles: dyn(Type.Integer({ minimum: 1 }), {
          default: 25,
          description: 'Most files per execution.',
        }),
        regExp,
        inputs,
      },
      { required: ['from'] },
    ),
  },
  {
    type: `${FS}.RealtimeTrigger`,
    aliases: ['fs.local.realtimetrigger'],
    kind: 'trigger',
    title: 'Start one execution per file event in a local folder.',
    description:
      'Watches `from` and starts an execution for each file created, updated or deleted (`on`). A created ' +
      'or updated file is reported once its size stayed the same for half a second. `{{ trigger.event }}` ' +
      `is CREATE, UPDATE or DELETE; \`{{ trigger.file }}\` the file: ${fileFields}. Requires the server ` +
      'setting BATON_ALLOWED_PATHS to include the folder.',
    example: `id: watch
type: io.kestra.plugin.fs.local.RealtimeTrigger
from: /data/incoming
on: CREATE_OR_UPDATE
`,
    properties: Props(
      {
        from,
        recursive,
        on: DEnum(['CREATE', 'UPDATE', 'DELETE', 'CREATE_OR_UPDATE'], {
          default: 'CREATE_OR_UPDATE',
          description: 'Which events start an execution.',
        }),
        regExp,
        inputs,
      },
      { required: ['from'] },
    ),
  },
];
