/**
 * Ansible (`io.kestra.plugin.ansible.cli.AnsibleCLI`): runs `ansible-playbook` / `ansible` commands as
 * a local process (Baton has no container runner: `containerImage` is accepted and ignored; the worker
 * needs ansible-core installed, e.g. `apt-get install ansible-core`).
 */
import { Type } from '@sinclair/typebox';
import { DString, dyn, JsonMap, Props } from '../schema.ts';
import { InputFiles, NamespaceFiles, OutputFiles } from '../scripts/files.ts';
import type { TaskDefinition } from '../types.ts';

export const ansibleDefinitions: TaskDefinition[] = [
  {
    type: 'io.kestra.plugin.ansible.cli.AnsibleCLI',
    aliases: ['ansible.cli.ansiblecli'],
    kind: 'runnable',
    title: 'Run Ansible CLI commands.',
    description:
      'Runs `commands` (e.g. `ansible-playbook -i inventory.ini playbook.yml`) one after the other in the ' +
      'working folder, after `beforeCommands`; the first failing command fails the task. `inputFiles` ' +
      'and `namespaceFiles` are written there first; in a WorkingDirectory, the files of earlier tasks ' +
      '(a Git clone) are there too. Ansible runs on the worker as a local process: install ansible-core ' +
      'there; `containerImage` and `taskRunner` are accepted for Kestra compatibility and ignored. Ansible ' +
      'output is logged line by line (stderr too, at WARN, without making the task WARNING). `ansibleConfig` ' +
      'is written as `ansible.cfg`; `outputLogFile: true` adds the Ansible log as output file `log`. ' +
      'Outputs: `exitCode`, `vars` (from `::{"outputs":{...}}::` lines), `outputFiles`.',
    example: `id: ansible
type: io.kestra.plugin.ansible.cli.AnsibleCLI
inputFiles:
  inventory.ini: |
    localhost ansible_connection=local
  playbook.yml: |
    - hosts: localhost
      gather_facts: false
      tasks:
        - name: Say hello
          ansible.builtin.debug:
            msg: Hello from Ansible
commands:
  - ansible-playbook -i inventory.ini playbook.yml
`,
    properties: Props(
      {
        commands: Type.Array(Type.String(), {
          dynamic: true,
          description: 'The commands, rendered with `{{ workingDir }}` (the working folder).',
        }),
        beforeCommands: Type.Array(Type.String(), {
          dynamic: true,
          description:
            'Shell commands run once before `commands` (e.g. `ansible-galaxy collection install ...`).',
        }),
        env: JsonMap({
          dynamic: true,
          description: 'Environment variables of the commands; values are rendered.',
        }),
        inputFiles: InputFiles,
        outputFiles: OutputFiles,
        namespaceFiles: NamespaceFiles,
        ansibleConfig: DString({
          description:
            'Content of an `ansible.cfg` written to the working folder (rendered with `{{ workingDir }}`); none by default.',
        }),
        outputLogFile: dyn(Type.Boolean(), {
          default: false,
          description: 'Save the Ansible log (ANSIBLE_LOG_PATH) as output file `log`.',
        }),
        containerImage: DString({
          default: 'cytopia/ansible:latest-tools',
          description: 'Ignored: Baton runs Ansible as a local process (no containers).',
        }),
        taskRunner: Type.Object(
          { type: Type.String() },
          { additionalProperties: true, description: 'Ignored: Baton runs Ansible as a local process.' },
        ),
        docker: Type.Object({}, { additionalProperties: true, description: 'Deprecated and ignored.' }),
      },
      { required: ['commands'] },
    ),
  },
];
