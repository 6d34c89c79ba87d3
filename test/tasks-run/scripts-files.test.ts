/**
 * Script tasks as Kestra runs them, on the real engine: `{{ workingDir }}`, internal storage URIs in
 * commands and scripts made local files, and Python found as `python3` where there is no `python`.
 */
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

let engine: TestEngine;
/** A folder holding only `python3`: a PATH where Debian's python3 is and `python` is not. */
const onlyPython3 = mkdtempSync(join(tmpdir(), 'baton-only-python3-'));
symlinkSync('/usr/bin/python3', join(onlyPython3, 'python3'));

beforeAll(async () => {
  engine = await startEngine();
});
afterAll(async () => {
  await engine?.dispose();
  rmSync(onlyPython3, { recursive: true, force: true });
});

const run = async (source: string, inputs: Record<string, unknown> = {}): Promise<Execution> => {
  const flow = await engine.deploy(source);
  return engine.run(flow.namespace, flow.id, inputs);
};
const outputsOf = (e: Execution, taskId: string) =>
  e.taskRuns.find((t) => t.taskId === taskId)?.outputs ?? {};
const logsOf = async (e: Execution) =>
  (await engine.store.queryLogs({ executionId: e.id })).map((l) => l.message).join('\n');

describe('script tasks', () => {
  it('render `workingDir` in commands and scripts, and set WORKING_DIR', async () => {
    const e = await run(`id: wd
namespace: scripts
tasks:
  - id: cmd
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - echo '::{"outputs":{"rendered":"{{ workingDir }}","pwd":"'$(pwd)'","env":"'$WORKING_DIR'"}}::'
  - id: script
    type: io.kestra.plugin.scripts.node.Script
    script: |
      console.log('::' + JSON.stringify({ outputs: { rendered: '{{ workingDir }}', cwd: process.cwd() } }) + '::')
`);
    expect(e.state.current).toBe('SUCCESS');
    const cmd = outputsOf(e, 'cmd').vars as Record<string, string>;
    expect(cmd.rendered).toBe(cmd.pwd);
    expect(cmd.env).toBe(cmd.pwd);
    const script = outputsOf(e, 'script').vars as Record<string, string>;
    expect(script.rendered).toBe(script.cwd);
  });

  it('download kestra:/// URIs written in commands and scripts into the working folder', async () => {
    const e = await run(
      `id: uris
namespace: scripts
inputs:
  - id: data
    type: FILE
tasks:
  - id: w
    type: io.kestra.plugin.core.storage.Write
    content: from a task
    extension: .txt
  - id: cmd
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - echo '::{"outputs":{"path":"{{ outputs.w.uri }}","pwd":"'$(pwd)'"}}::'
      - cat {{ inputs.data }} {{ outputs.w.uri }}
  - id: py
    type: io.kestra.plugin.scripts.python.Script
    script: |
      print(open("{{ outputs.w.uri }}").read() + " (read by python)")
`,
      { data: 'from an input\n' },
    );
    expect(e.state.current).toBe('SUCCESS');
    const logs = await logsOf(e);
    expect(logs).toContain('from an input');
    expect(logs).toContain('from a task');
    expect(logs).toContain('from a task (read by python)');
    const vars = outputsOf(e, 'cmd').vars as Record<string, string>;
    expect(String(vars.path).startsWith(`${vars.pwd}/`)).toBe(true);
    expect(String(vars.path).endsWith('.txt')).toBe(true);
  });

  it('run Python as python3 when there is no `python`, and log which interpreter ran', async () => {
    const e = await run(`id: py3
namespace: scripts
tasks:
  - id: cmd
    type: io.kestra.plugin.scripts.python.Commands
    env:
      PATH: ${onlyPython3}
    commands:
      - python -c "print('commands ran')"
  - id: script
    type: io.kestra.plugin.scripts.python.Script
    env:
      PATH: ${onlyPython3}
    script: print('script ran')
`);
    const logs = await logsOf(e);
    expect(e.state.current, logs).toBe('SUCCESS');
    expect(logs).toContain('commands ran');
    expect(logs).toContain('script ran');
    expect(logs).toContain(
      `python interpreter: ${onlyPython3}/python3 (no \`python\` on the PATH, using python3)`,
    );
  });
});

describe('namespace files and a WorkingDirectory’s files', () => {
  it('script tasks and WorkingDirectory copy namespace files, read() reads them; WorkingDirectory writes its inputFiles', async () => {
    const e = await run(`id: nsfiles
namespace: scripts.ns
tasks:
  - id: upload
    type: io.kestra.plugin.core.namespace.UploadFiles
    namespace: "{{ flow.namespace }}"
    filesMap:
      /sql/query.sql: select 1
      /readme.md: not copied
  - id: script
    type: io.kestra.plugin.scripts.shell.Commands
    namespaceFiles:
      enabled: true
      include:
        - "**.sql"
    commands:
      - cat sql/query.sql
      - test ! -e readme.md
  - id: wd
    type: io.kestra.plugin.core.flow.WorkingDirectory
    namespaceFiles:
      enabled: true
      exclude:
        - readme.md
    inputFiles:
      data.txt: "input of {{ flow.id }}"
    tasks:
      - id: first
        type: io.kestra.plugin.scripts.shell.Commands
        commands:
          - cat data.txt sql/query.sql
          - test ! -e readme.md
  - id: read
    type: io.kestra.plugin.core.debug.Return
    format: "{{ read('sql/query.sql') }}"
`);
    const logs = await logsOf(e);
    expect(e.state.current, logs).toBe('SUCCESS');
    expect(logs).toContain('select 1');
    expect(logs).toContain('input of nsfiles');
    // read() of a path (no kestra://) reads a namespace file.
    expect(outputsOf(e, 'read').value).toBe('select 1');
  });
});
