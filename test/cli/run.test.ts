/** `baton run` and `baton validate` as a user runs them: real processes, real data folder. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

const main = new URL('../../src/cli/main.ts', import.meta.url).pathname;
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

  it('exits 1 on a failed flow', () => {
    const f = join(dir, 'fail.yaml');
    writeFileSync(
      f,
      'id: fail\nnamespace: t\ntasks:\n  - id: boom\n    type: io.kestra.plugin.core.execution.Fail\n    errorMessage: nope\n',
    );
    const r = baton('run', f, '--data', join(dir, 'fail'));
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAILED');
  });

  it('rejects an invalid flow with file:line:col and creates nothing', async () => {
    const f = join(dir, 'bad.yaml');
    writeFileSync(
      f,
      'id: bad\nnamespace: t\ntasks:\n  - id: a\n    type: io.kestra.plugin.core.debug.Return\n    format: x\n    retry:\n      type: constant\n      maxAttempt: 0\n      interval: PT1S\n',
    );
    const data = join(dir, 'bad');
    const r = baton('run', f, '--data', data);
    expect(r.status).toBe(1);
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
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('Invalid input for `n`, missing required input');
    const wrong = baton('run', f, '--input', 'n=abc', '--data', data);
    expect(wrong.status).toBe(1);
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
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('disabled.yaml: Cannot execute a flow which is disabled: t.off');
    expect(await countExecutions(data)).toBe(0);
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
    expect(baton('logs', 'nope', '--data', data).status).toBe(1);
  });
});

describe('baton docs and schema', () => {
  it('documents a task type by its full name or an old alias, and prints the flow schema', () => {
    const docs = baton('docs', 'io.kestra.plugin.core.flow.ForEach');
    expect(docs.status).toBe(0);
    expect(docs.stdout).toContain('concurrencyLimit');
    expect(baton('docs', 'io.kestra.core.tasks.log.Log').stdout).toContain('io.kestra.plugin.core.log.Log');
    expect(baton('docs', 'no.such.Type').status).toBe(1);
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
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('nope');
    expect(r.stderr).toContain('Duplicate task id');
  });
});
