/**
 * ansible.cli.AnsibleCLI with the real `ansible-playbook` (ansible-core), against localhost with
 * `ansible_connection=local`: a playbook writes a file and sets a fact printed in the logs. Skipped, with
 * a notice, where ansible-playbook is not installed.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

const hasAnsible = (() => {
  try {
    execFileSync('ansible-playbook', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasAnsible)
  console.warn('ansible.test.ts: skipped, ansible-playbook is not installed (apt-get install ansible-core)');

let engine: TestEngine;
beforeAll(async () => {
  if (hasAnsible) engine = await startEngine();
});
afterAll(async () => {
  await engine?.dispose();
});

const logsOf = async (id: string) =>
  (await engine.store.queryLogs({ executionId: id })).map((l) => `${l.level} ${l.message}`).join('\n');

/** Jinja of Ansible kept from Baton's own rendering of inputFiles by `{% raw %}`, as in Kestra. */
export const PLAYBOOK = `{% raw %}- hosts: all
  gather_facts: false
  tasks:
    - name: Write the release file
      ansible.builtin.copy:
        dest: "{{ lookup('env', 'WORKING_DIR') }}/release.txt"
        content: "release {{ version }}\\n"
    - name: Remember the release
      ansible.builtin.set_fact:
        deployed: "v{{ version }}"
    - name: Print it
      ansible.builtin.debug:
        msg: "deployed={{ deployed }}"
{% endraw %}`;

describe.skipIf(!hasAnsible)('ansible.cli.AnsibleCLI', () => {
  it('runs a playbook on localhost: it writes a file (an output file) and sets a fact shown in the logs', async () => {
    const flow = await engine.deploy(`id: ansible
namespace: test.ansible
tasks:
  - id: play
    type: io.kestra.plugin.ansible.cli.AnsibleCLI
    containerImage: cytopia/ansible:latest-tools
    inputFiles:
      inventory.ini: |
        localhost ansible_connection=local ansible_python_interpreter=auto_silent
      playbook.yml: ${JSON.stringify(PLAYBOOK)}
    env:
      APP_VERSION: "{{ execution.id | length }}"
    beforeCommands:
      - ansible-playbook --version | head -1
    commands:
      - ansible-playbook -i inventory.ini playbook.yml -e version=1.2
    outputFiles:
      - release.txt
    outputLogFile: true
`);
    const e = await engine.run(flow.namespace, flow.id);
    const logs = await logsOf(e.id);
    expect(e.state.current, logs).toBe('SUCCESS');
    expect(logs).toContain('deployed=v1.2');
    expect(logs).toMatch(/ok=3 .*changed=1 .*failed=0/);
    const t = e.taskRuns.find((tr) => tr.taskId === 'play')!;
    const files = t.outputs?.outputFiles as Record<string, string>;
    expect((await engine.storage.get(files['release.txt']!)).toString()).toBe('release 1.2\n');
    expect((await engine.storage.get(files.log!)).toString()).toContain('Write the release file');
    expect(t.outputs?.exitCode).toBe(0);
  });

  it('a failing playbook fails the task, and later commands do not run', async () => {
    const flow = await engine.deploy(`id: ansible_fail
namespace: test.ansible
tasks:
  - id: play
    type: io.kestra.plugin.ansible.cli.AnsibleCLI
    inputFiles:
      playbook.yml: |
        - hosts: localhost
          gather_facts: false
          tasks:
            - ansible.builtin.fail:
                msg: stop here
    commands:
      - ansible-playbook -i localhost, -c local playbook.yml
      - echo "should not run"
`);
    const e = await engine.run(flow.namespace, flow.id);
    const logs = await logsOf(e.id);
    expect(e.state.current).toBe('FAILED');
    expect(logs).toContain('stop here');
    expect(logs).not.toContain('INFO should not run');
  });
});
