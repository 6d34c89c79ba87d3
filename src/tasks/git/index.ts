/**
 * Git (`io.kestra.plugin.git`): Clone a repository into the working folder, SyncFlows from a branch into
 * a namespace. Both run the `git` command line of the worker (see git.run.ts: no shell, credentials
 * through GIT_ASKPASS, masked in errors).
 */
import { Type } from '@sinclair/typebox';
import { DString, dyn, JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const G = 'io.kestra.plugin.git';

const connection = {
  url: DString({
    minLength: 1,
    description:
      'The repository to clone: `https://...`, `ssh://...`, `git@host:path` or a local path / `file://` URL.',
  }),
  username: DString({
    description: 'User name for HTTP(S) (with a token, any non-empty name works on most hosts).',
  }),
  password: DString({
    description:
      "Password or access token for HTTP(S); use `{{ secret('GIT_TOKEN') }}`. Given to git through GIT_ASKPASS, never on a command line, masked in errors.",
  }),
  privateKey: DString({
    description: 'PEM private key for SSH. Not supported by Baton yet: refused at run time.',
  }),
  passphrase: DString({ description: 'Passphrase of `privateKey` (not supported yet).' }),
  cloneSubmodules: dyn(Type.Boolean(), {
    default: false,
    description: 'Also clone the submodules (recursively).',
  }),
  gitConfig: JsonMap({
    dynamic: true,
    description: 'Git configuration set in the clone before checkout, e.g. `core.autocrlf: false`.',
  }),
  connectTimeout: dyn(Type.Integer(), {
    description: 'Accepted for Kestra compatibility; git uses its own timeouts.',
  }),
  readTimeout: dyn(Type.Integer(), {
    description: 'Accepted for Kestra compatibility; bound the task with `timeout`.',
  }),
  noProxy: dyn(Type.Boolean(), {
    description: 'Accepted for Kestra compatibility; git reads the usual proxy variables.',
  }),
};

export const gitDefinitions: TaskDefinition[] = [
  {
    type: `${G}.Clone`,
    aliases: ['git.clone'],
    kind: 'runnable',
    title: 'Clone a Git repository.',
    description:
      "Clones `url` into the task's working folder, or `directory` under it: in a " +
      '`io.kestra.plugin.core.flow.WorkingDirectory`, the tasks after it see the files. A shallow clone ' +
      '(`depth`, 1 by default) of `branch` (the default branch when not set), or of a `tag` or a `commit` ' +
      '(full history). Works in a folder that already holds files (input files of the WorkingDirectory). ' +
      'Runs the `git` command of the worker. Output: `directory`, the absolute path of the clone.',
    example: `id: clone
type: io.kestra.plugin.git.Clone
url: https://github.com/kestra-io/blueprints
branch: main
username: git_username
password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
`,
    properties: Props(
      {
        ...connection,
        branch: DString({
          description: 'Branch to check out; the default branch of the remote when not set.',
        }),
        tag: DString({ description: 'Tag to check out (instead of a branch).' }),
        commit: DString({ description: 'Commit to check out (detached); fetches the whole history.' }),
        depth: dyn(Type.Integer({ minimum: 1 }), {
          default: 1,
          description: 'Commits of history to fetch (shallow clone); ignored with `commit`.',
        }),
        directory: DString({
          description:
            'Folder under the working folder to clone into (the working folder itself by default).',
        }),
        cloneAllBranches: dyn(Type.Boolean(), {
          description: 'Accepted for Kestra compatibility: Baton fetches only the branch checked out.',
        }),
        noTags: dyn(Type.Boolean(), {
          description: 'Accepted for Kestra compatibility: tags are not fetched.',
        }),
      },
      { required: ['url'] },
    ),
  },
  {
    type: `${G}.SyncFlows`,
    aliases: ['git.syncflows'],
    kind: 'runnable',
    title: 'Sync flows from a Git branch into a namespace.',
    description:
      'Clones `branch` of `url` and deploys every flow file (`.yml`, `.yaml`) of `gitDirectory` to ' +
      '`targetNamespace` (its `namespace:` line is rewritten); with `includeChildNamespaces`, files of ' +
      'sub-folders go to child namespaces (`a/b/f.yml` → `<target>.a.b`). Every file is validated first: ' +
      'one invalid file fails the task with its path, line and property, and nothing is changed ' +
      '(`ignoreInvalidFlows: true` skips it with a warning instead). `delete: true` deletes the flows of ' +
      'the namespace(s) absent from Git (never the flow running the task). `dryRun: true` computes the ' +
      'changes without applying them. Output `flows`: a file (one Ion row per flow: `gitPath`, ' +
      '`syncState` ADDED / UPDATED / DELETED / UNCHANGED, `flowId`, `namespace`, `revision`).',
    example: `id: sync
type: io.kestra.plugin.git.SyncFlows
url: https://github.com/kestra-io/flows
branch: main
username: git_username
password: "{{ secret('GITHUB_ACCESS_TOKEN') }}"
gitDirectory: flows
targetNamespace: company.team
includeChildNamespaces: true
delete: true
dryRun: true
`,
    properties: Props(
      {
        ...connection,
        branch: DString({ default: 'main', description: 'The branch the flows are read from.' }),
        targetNamespace: DString({ minLength: 1, description: 'The namespace the flows are deployed to.' }),
        gitDirectory: DString({
          default: '_flows',
          description: 'Folder of the repository holding the flows.',
        }),
        includeChildNamespaces: dyn(Type.Boolean(), {
          default: false,
          description: 'Also sync sub-folders of `gitDirectory` into child namespaces of `targetNamespace`.',
        }),
        delete: dyn(Type.Boolean(), {
          default: false,
          description:
            'Delete the flows of the namespace (and children, with `includeChildNamespaces`) absent from Git.',
        }),
        dryRun: dyn(Type.Boolean(), { default: false, description: 'Compute the changes, apply none.' }),
        ignoreInvalidFlows: dyn(Type.Boolean(), {
          default: false,
          description: 'Skip invalid flow files (with a warning) instead of failing.',
        }),
      },
      { required: ['url', 'targetNamespace'] },
    ),
  },
];
