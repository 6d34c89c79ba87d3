/**
 * every-type rows of the Git and Ansible tasks. Git rows clone one bare repository made on first use
 * (test/helpers/git-repo.ts, removed when the process exits); the Ansible row runs ansible-playbook on
 * localhost, or, where it is not installed, checks that the task says so plainly.
 */
import { execFileSync } from 'node:child_process';
import { createTestRepo, type TestRepo } from '../helpers/git-repo.ts';
import { expectEq } from './every-type.expect.ts';
import type { TaskRow } from './every-type.table.ts';

let repo: TestRepo | undefined;
const repoUrl = (): string => {
  if (!repo) {
    const made = createTestRepo();
    made.commit({
      'README.md': 'hello\n',
      '_flows/synced.yml':
        'id: synced\nnamespace: x\ntasks:\n  - id: log\n    type: io.kestra.plugin.core.log.Log\n    message: hi\n',
    });
    process.once('exit', () => made.dispose());
    repo = made;
  }
  return repo.url;
};

const hasAnsible = (() => {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const urlInput = { inputs: [{ id: 'url', type: 'STRING' }] };
const setupRepo = async () => ({ url: repoUrl() });

export const gitAnsibleRows: Record<string, TaskRow> = {
  'io.kestra.plugin.git.Clone': {
    flow: urlInput,
    setup: setupRepo,
    props: { url: '{{ inputs.url }}', branch: 'main', directory: 'repo' },
    check: (_e, o) => {
      if (!String(o.directory).endsWith('/repo')) throw new Error(`directory: got ${String(o.directory)}`);
    },
  },
  'io.kestra.plugin.git.SyncFlows': {
    flow: urlInput,
    setup: setupRepo,
    props: { url: '{{ inputs.url }}', targetNamespace: '{{ flow.namespace }}.synced' },
    check: (_e, o) => expectEq(String(o.flows).startsWith('kestra:///'), true, 'flows is a file'),
  },
  'io.kestra.plugin.ansible.cli.AnsibleCLI': hasAnsible
    ? {
        props: {
          inputFiles: {
            'playbook.yml':
              '- hosts: localhost\n  gather_facts: false\n  tasks:\n    - ansible.builtin.debug:\n        msg: hello\n',
          },
          commands: ['ansible-playbook -i localhost, -c local playbook.yml'],
        },
        check: (_e, o) => expectEq(o.exitCode, 0, 'exitCode'),
      }
    : {
        props: { commands: ['ansible-playbook --version'] },
        // Without ansible-core the task must fail (saying "is not installed", see ansible-cli.run.ts).
        state: 'FAILED',
      },
};
