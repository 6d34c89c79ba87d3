/** `baton run` and `baton validate` as a user runs them: real processes, real data folder. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

const main = new URL('../../bin/baton.js', import.meta.url).pathname; // the shipped command: bundle in dist/;
const examples = new URL('../../examples/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const baton = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: dir,
    maxBuffer: 64 << 20,
  });

const countExecutions = async (data: string) => {
  const store = await openSqliteStore({ path: join(data, 'baton.db') });
  const n = await store.countExecutions({});
  await store.close();
  return n;
};

describe('baton run', () => {
  it('runs the README example to SUCCESS and prints its outputs', () => {
    const r = baton('run', join(examples, 'release-pipeline.yaml'), '--data', join(dir, 'ex'));
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('SUCCESS');
    expect(r.stdout).toContain('app-1.4.0.tar.gz');
  });

  it('passes inputs and reports JSON lines with --json', () => {
    const r = baton(
      'run',
      join(examples, 'hello.yaml'),
      '--input',
      'name=baton',
      '--json',
      '--data',
      join(dir, 'hello'),
    );
    expect(r.status, r.stderr).toBe(0);
    const result = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((o) => o.type === 'result');
    expect(result.state).toBe('SUCCESS');
    expect(result.outputs.greeting).toBe('Hello, BATON');
  });

  it('formats dates in a named time zone (the bundle registers the zone database)', () => {
    const f = join(dir, 'tz.yaml');
    writeFileSync(
      f,
      `id: tz
namespace: t
tasks:
  - id: d
    type: io.kestra.plugin.core.debug.Return
    format: "{{ '2026-01-01T00:00:00Z' | date('yyyy-MM-dd HH:mm', timeZone='Asia/Tokyo') }}"
outputs:
  - id: local
    type: STRING
    value: "{{ outputs.d.value }}"
`,
    );
    const r = baton('run', f, '--data', join(dir, 'tz'));
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('local: 2026-01-01 09:00');
  });

  it('runs jq from the bundle in its worker thread, and exits once done', () => {
    const f = join(dir, 'jq.yaml');
    writeFileSync(
      f,
      `id: jq
namespace: t
tasks:
  - id: sum
    type: io.kestra.plugin.core.debug.Return
    format: "{{ {'a': [1, 2, 3]} | jq('.a | add') | first }}"
outputs:
  - id: total
    type: STRING
    value: "{{ outputs.sum.value }}"
`,
    );
    const r = baton('run', f, '--data', join(dir, 'jq'));
    // A jq thread that held the process would end in the spawn's timeout (status null).
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain('total: 6');
  });

  it('exits 1 on a failed flow', () => {
    const f = join(dir, 'fail.yaml');
    writeFileSync(
      f,
      'id: fail\nnamespace: t\ntasks:\n  - id: boom\n    type: io.kestra.plugin.core.execution.Fail\n    errorMessage: nope\n',
    );
    const r = baton('run', f, '--data', join(dir, 'fail'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAILED');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('failed: task boom: nope');
  });

  it('shows why a task failed: under the task as it fails, and at the end', () => {
    const f = join(dir, 'stderr.yaml');
    writeFileSync(
      f,
      'id: stderr\nnamespace: t\ntasks:\n  - id: copy\n    type: io.kestra.plugin.scripts.shell.Commands\n    commands:\n      - echo "disk is full" >&2; exit 3\n',
    );
    const plain = baton('run', f, '--data', join(dir, 'stderr'));
    expect(plain.status).toBe(1);
    const lines = plain.stdout.trim().split('\n');
    const failedAt = lines.findIndex((l) => /copy FAILED/.test(l));
    expect(lines[failedAt + 1]).toBe('    ↳ Command failed with exit code 3 (last output: disk is full)');
    expect(lines.at(-1)).toBe(
      'failed: task copy: Command failed with exit code 3 (last output: disk is full)',
    );
    const json = baton('run', f, '--json', '--data', join(dir, 'stderr'));
    const events = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.find((e) => e.type === 'taskRunError')).toMatchObject({ taskId: 'copy' });
  });

  it('exits 2 on bad usage and 3 on an internal error', () => {
    const f = join(dir, 'fail.yaml');
    const usage = baton('run', f, '--bogus');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("Unknown option '--bogus'");
    const data = join(dir, 'corrupt');
    mkdirSync(data, { recursive: true });
    writeFileSync(
      join(data, 'baton.db'),
      'this is not a database, it is a text file of some length '.repeat(100),
    );
    const internal = baton('run', f, '--data', data);
    expect(internal.status, internal.stderr).toBe(3);
  });

  describe('a flow retry with CREATE_NEW_EXECUTION', () => {
    // A script that fails until it has run `succeedOn` times, counting in a file: each attempt is a new
    // execution, so only the file remembers the earlier ones.
    const retrying = (name: string, succeedOn: number) => {
      const counter = join(dir, `${name}.count`);
      const f = join(dir, `${name}.yaml`);
      writeFileSync(
        f,
        `id: ${name}
namespace: t
retry:
  type: constant
  interval: PT0.1S
  maxAttempt: 3
  behavior: CREATE_NEW_EXECUTION
tasks:
  - id: flaky
    type: io.kestra.plugin.scripts.shell.Commands
    commands:
      - n=$(( $(cat ${counter} 2>/dev/null || echo 0) + 1 )); echo $n > ${counter}; [ $n -ge ${succeedOn} ]
`,
      );
      return f;
    };

    it('follows each new attempt and exits with the state of the last one', () => {
      const r = baton('run', retrying('third-time', 3), '--data', join(dir, 'retry-ok'));
      expect(r.status, r.stderr + r.stdout).toBe(0);
      expect(r.stdout.match(/RETRIED: flow retry, attempt \d/g)).toEqual([
        'RETRIED: flow retry, attempt 2',
        'RETRIED: flow retry, attempt 3',
      ]);
      expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^execution \S+ SUCCESS in /);
    });

    it('reports FAILED and exits 1 when the last attempt fails too, with JSON lines per attempt', () => {
      const r = baton('run', retrying('never', 99), '--json', '--data', join(dir, 'retry-ko'));
      expect(r.status, r.stderr).toBe(1);
      const results = r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .filter((o) => o.type === 'result');
      expect(results.map((o) => [o.attempt, o.state])).toEqual([
        [1, 'RETRIED'],
        [2, 'RETRIED'],
        [3, 'FAILED'],
      ]);
    });
  });

  it('rejects an invalid flow with file:line:col and creates nothing', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'id: bad\nnamespace: t\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n    retry:\n      type: constant\n      maxAttempt: 0\n      interval: PT1S\n',
    );
    const data = join(dir, 'bad');
    const r = baton('run', f, '--data', data);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+: tasks\[0\]\.retry\.maxAttempt/);
    expect(spawnSync('test', ['-e', join(data, 'baton.db')]).status).not.toBe(0);
  });

  it('rejects a missing required input and an input of the wrong type, creating no execution', async () => {
    const f = join(dir, 'inputs.yaml');
    writeFileSync(
      f,
      'id: typed\nnamespace: t\ninputs:\n  - id: n\n    type: INT\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ inputs.n }}"\n',
    );
    const data = join(dir, 'typed');
    const missing = baton('run', f, '--data', data);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Invalid input for `n`, missing required input');
    const wrong = baton('run', f, '--input', 'n=abc', '--data', data);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/`?n`?/);
    expect(await countExecutions(data)).toBe(0);
  });

  it("refuses a disabled flow: exits 1 with Kestra's message, creating no execution", async () => {
    const f = join(dir, 'disabled.yaml');
    writeFileSync(
      f,
      'id: off\nnamespace: t\ndisabled: true\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n',
    );
    const data = join(dir, 'disabled');
    const r = baton('run', f, '--data', data);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('disabled.yaml: Cannot execute a flow which is disabled: t.off');
    expect(await countExecutions(data)).toBe(0);
  });
});

describe('baton run: usage and data folder', () => {
  const echo = () => {
    const f = join(dir, 'echo.yaml');
    writeFileSync(
      f,
      'id: echo\nnamespace: t\ninputs:\n  - id: text\n    type: STRING\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ inputs.text }}"\noutputs:\n  - id: text\n    type: STRING\n    value: "{{ outputs.a.value }}"\n',
    );
    return f;
  };

  it('refuses an input the flow does not declare, naming the declared ones', () => {
    const r = baton('run', echo(), '--input', 'txet=hi', '--data', join(dir, 'undeclared'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("the flow declares no input 'txet' (its inputs: text)");
  });

  it('keeps a leading @ of a non-FILE input as text', () => {
    const r = baton('run', echo(), '--input', 'text=@team', '--data', join(dir, 'at'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('text: @team');
  });

  it('says that it needs a file when given a folder', () => {
    const r = baton('run', examples, '--data', join(dir, 'folder'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is a folder: baton run needs one flow file');
  });

  it('names a data folder that is a file', () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    const r = baton('run', echo(), '--input', 'text=x', '--data', file);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(`data folder ${file} is a file`);
  });

  it('creates the data folder 0700 and the database 0600', () => {
    const data = join(dir, 'private');
    expect(baton('run', echo(), '--input', 'text=x', '--data', data).status).toBe(0);
    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'baton.db')).mode & 0o777).toBe(0o600);
  });
});

describe('baton executions and logs', () => {
  it('lists and shows executions and prints their logs', () => {
    const data = join(dir, 'inspect');
    const r = baton('run', join(examples, 'hello.yaml'), '--input', 'name=logs', '--json', '--data', data);
    const id = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((o) => o.type === 'result').id as string;
    const list = baton('executions', 'list', '--data', data);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain(id);
    expect(list.stdout).toContain('baton.examples.hello');
    const show = baton('executions', 'show', id, '--data', data);
    expect(show.stdout).toMatch(/greet\s+SUCCESS/);
    expect(show.stdout).toContain('Hello, LOGS');
    const logs = baton('logs', id, '--follow', '--data', data);
    expect(logs.status).toBe(0);
    expect(logs.stdout).toMatch(/INFO\s+greet Hello, logs!/);
    expect(baton('logs', 'nope', '--data', data).status).toBe(2);
  });
});

describe('baton docs and schema', () => {
  it('documents a task type by its full name or an old alias, and prints the flow schema', () => {
    const docs = baton('docs', 'io.kestra.plugin.core.flow.ForEach');
    expect(docs.status).toBe(0);
    expect(docs.stdout).toContain('concurrencyLimit');
    expect(baton('docs', 'io.kestra.core.tasks.log.Log').stdout).toContain('io.kestra.plugin.core.log.Log');
    expect(baton('docs', 'no.such.Type').status).toBe(2);
    const schema = JSON.parse(baton('schema').stdout) as { properties?: Record<string, unknown> };
    expect(Object.keys(schema.properties ?? {})).toEqual(
      expect.arrayContaining(['id', 'namespace', 'tasks']),
    );
  });
});

describe('baton validate', () => {
  it('accepts the examples and rejects a bad flow with every error at once', () => {
    expect(baton('validate', examples).status).toBe(0);
    const f = join(dir, 'two-errors.yaml');
    writeFileSync(
      f,
      'id: two\nnamespace: t\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n    nope: 1\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: y\n',
    );
    const r = baton('validate', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('nope');
    expect(r.stderr).toContain('Duplicate task id');
  });

  it('reports a template syntax error with file, line and column', () => {
    const f = join(dir, 'bad-expression.yaml');
    writeFileSync(
      f,
      'id: bad\nnamespace: t\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.log.Log\n    message: "{{ foo( }}"\n',
    );
    const r = baton('validate', f);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${f}:6:15: tasks[0].message: Invalid expression:`);
  });
});
