/**
 * Secrets through the public API: the program that runs the engine gets SECRET outputs (and outputs
 * carrying a secret) decrypted, while the database holds them encrypted; a secret handed to a subflow
 * and back stays masked in both executions' logs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBaton } from '../../src/index.ts';

const root = mkdtempSync(join(tmpdir(), 'baton-api-secrets-'));
const TOKEN = 'api-T0ken-Value-77';
beforeAll(() => {
  process.env.BATON_SECRET_API_SECRET_TEST = TOKEN;
});
afterAll(() => {
  delete process.env.BATON_SECRET_API_SECRET_TEST;
  rmSync(root, { recursive: true, force: true });
});

const dbBytes = (data: string) =>
  Buffer.concat(
    ['baton.db', 'baton.db-wal']
      .map((f) => join(data, f))
      .filter(existsSync)
      .map((f) => readFileSync(f)),
  ).toString('latin1');

const PARENT = `id: parent
namespace: api.secrets
tasks:
  - id: ret
    type: io.kestra.plugin.core.debug.Return
    format: "{{ secret('API_SECRET_TEST') }}"
  - id: child
    type: io.kestra.plugin.core.flow.Subflow
    namespace: api.secrets
    flowId: child
    inputs:
      given: "given {{ outputs.ret.value }}"
  - id: back
    type: io.kestra.plugin.core.log.Log
    message: "back from the child: {{ outputs.child.outputs.echoed }}"
outputs:
  - id: plain
    type: STRING
    value: "{{ outputs.ret.value }}"
  - id: generated
    type: SECRET
    value: "generated-{{ execution.id }}"
`;

const CHILD = `id: child
namespace: api.secrets
inputs:
  - id: given
    type: STRING
tasks:
  - id: say
    type: io.kestra.plugin.core.log.Log
    message: "child got {{ inputs.given }}"
outputs:
  - id: echoed
    type: STRING
    value: "{{ inputs.given }}"
`;

describe('secrets through the API', () => {
  it('run() returns SECRET outputs decrypted; logs and the database never hold them in plain text', async () => {
    const data = join(root, 'data');
    const baton = await createBaton({ data });
    let parentId: string;
    let childId: string;
    try {
      await baton.deploy(CHILD);
      await baton.deploy(PARENT);
      const e = await baton.run('api.secrets', 'parent');
      expect(e.state.current).toBe('SUCCESS');
      parentId = e.id;
      expect(e.outputs).toEqual({ plain: TOKEN, generated: `generated-${e.id}` });
      expect(e.taskRuns.find((t) => t.taskId === 'ret')?.outputs).toEqual({ value: TOKEN });
      childId = String(e.taskRuns.find((t) => t.taskId === 'child')?.outputs?.executionId);
      expect((await baton.execution(childId))?.inputs.given).toBe(`given ${TOKEN}`);

      const parentLogs = (await baton.logs(parentId)).map((l) => l.message);
      expect(parentLogs).toContain('back from the child: given ******');
      const childLogs = (await baton.logs(childId)).map((l) => l.message);
      expect(childLogs).toContain('child got given ******');
      for (const line of [...parentLogs, ...childLogs]) expect(line).not.toContain(TOKEN);
    } finally {
      await baton.stop();
    }
    const bytes = dbBytes(data);
    expect(bytes).toContain('enc:v1:');
    expect(bytes).not.toContain(TOKEN);
    expect(bytes).not.toContain(`generated-${parentId}`);
  });
});
