/**
 * A secret passed on through an output, end to end: `baton run` as a user runs it, then every place the
 * execution is shown or kept (the logs table, `baton run`'s screen, `baton executions show`, the
 * database file's bytes) is searched for it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';

const main = new URL('../../bin/baton.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'baton-secrets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOKEN = 'tok-Sup3rS3cret-42';
const PASSWORD = 'pw-Hunter2-Hunter2';

const baton = (...args: string[]) =>
  spawnSync(process.execPath, [main, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: dir,
    env: { ...process.env, BATON_SECRET_API_TOKEN: TOKEN },
  });

const FLOW = `id: secrets
namespace: baton.test
inputs:
  - id: pw
    type: SECRET
tasks:
  - id: ret
    type: io.kestra.plugin.core.debug.Return
    format: "token={{ secret('API_TOKEN') }}"
  - id: later
    type: io.kestra.plugin.core.log.Log
    message: "later task sees {{ outputs.ret.value }} and {{ inputs.pw }}"
  - id: script
    type: io.kestra.plugin.scripts.shell.Commands
    env:
      T: "{{ outputs.ret.value }}"
    commands:
      - echo "script prints $T"
      - echo '::{"outputs":{"echoed":"'"$T"'"}}::'
  - id: after
    type: io.kestra.plugin.core.log.Log
    message: "{{ outputs.script.vars.echoed }}"
outputs:
  - id: passed
    type: STRING
    value: "{{ outputs.ret.value }}"
  - id: hidden
    type: SECRET
    value: "hidden-{{ execution.id }}"
`;

/** An executor's own log line (an If condition that cannot be rendered) quoting the secret. */
const FAILING = `id: failing
namespace: baton.test
tasks:
  - id: ret
    type: io.kestra.plugin.core.debug.Return
    format: "{{ secret('API_TOKEN') }}"
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ outputs.ret.value | number }}"
    then:
      - id: never
        type: io.kestra.plugin.core.log.Log
        message: never
`;

const data = join(dir, 'data');
const runs: { id: string; stdout: string; status: number | null }[] = [];

beforeAll(() => {
  for (const [name, text, args] of [
    ['secrets.yaml', FLOW, ['--input', `pw=${PASSWORD}`]],
    ['failing.yaml', FAILING, []],
  ] as const) {
    writeFileSync(join(dir, name), text);
    const r = baton('run', name, ...args, '--data', data);
    const id = /execution (\S+) of/.exec(r.stdout)?.[1];
    if (!id) throw new Error(`no execution id in ${r.stdout}\n${r.stderr}`);
    runs.push({ id, stdout: r.stdout + r.stderr, status: r.status });
  }
});

const leaks = (text: string, hidden: string) =>
  [TOKEN, PASSWORD, hidden].filter((secret) => text.includes(secret));

describe('a secret passed on through outputs', () => {
  it('runs, and later tasks still receive the value (masked wherever it is shown)', async () => {
    const [ok, failing] = runs;
    expect(ok!.status, ok!.stdout).toBe(0);
    expect(failing!.status).toBe(1);
    const store = await openSqliteStore({ path: join(data, 'baton.db') });
    try {
      const logs = (await store.queryLogs({ executionId: ok!.id })).map((l) => l.message);
      expect(logs).toContain('later task sees token=****** and ******');
      expect(logs).toContain('script prints token=******');
      // The script got the real value: what it echoed back is the secret again, masked.
      expect(logs).toContain('token=******');
      const failed = (await store.queryLogs({ executionId: failing!.id })).map((l) => l.message);
      expect(failed.join('\n')).toContain('If condition could not be rendered: number expects a number');
      for (const id of [ok!.id, failing!.id]) {
        const all = (await store.queryLogs({ executionId: id })).map((l) => l.message).join('\n');
        expect(leaks(all, `hidden-${ok!.id}`)).toEqual([]);
      }
    } finally {
      await store.close();
    }
  });

  it('baton run prints the outputs masked', () => {
    const ok = runs[0]!;
    expect(ok.stdout).toContain('passed: ******');
    expect(ok.stdout).toContain('hidden: ******');
    expect(leaks(ok.stdout, `hidden-${ok.id}`)).toEqual([]);
    expect(leaks(runs[1]!.stdout, '-')).toEqual([]);
  });

  it('baton executions show masks them, as text and as JSON', () => {
    for (const { id } of runs) {
      for (const extra of [[], ['--json']]) {
        const r = baton('executions', 'show', id, ...extra, '--data', data);
        expect(r.status, r.stderr).toBe(0);
        expect(leaks(r.stdout, `hidden-${runs[0]!.id}`)).toEqual([]);
      }
    }
    const json = JSON.parse(baton('executions', 'show', runs[0]!.id, '--json', '--data', data).stdout);
    expect(json.inputs.pw).toBe('******');
    expect(json.outputs).toEqual({ passed: '******', hidden: '******' });
    expect(json.taskRuns.find((t: { taskId: string }) => t.taskId === 'ret').outputs.value).toBe('******');
  });

  it('baton logs shows them masked', () => {
    const r = baton('logs', runs[0]!.id, '--data', data);
    expect(r.stdout).toContain('later task sees token=****** and ******');
    expect(leaks(r.stdout, `hidden-${runs[0]!.id}`)).toEqual([]);
  });

  it('the database file never holds them in plain text (sealed values are there, encrypted)', () => {
    const bytes = Buffer.concat(
      ['baton.db', 'baton.db-wal']
        .map((f) => join(data, f))
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f)),
    );
    expect(bytes.includes('enc:v1:')).toBe(true);
    expect(leaks(bytes.toString('latin1'), `hidden-${runs[0]!.id}`)).toEqual([]);
  });
});
