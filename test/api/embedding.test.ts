/** The public API (src/index.ts) as an embedding program uses it: real engines on temp data folders. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createBaton,
  defineTask,
  FlowValidationError,
  InputError,
  loadFlow,
  validateFlow,
} from '../../src/index.ts';

const root = mkdtempSync(join(tmpdir(), 'baton-api-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const greet = defineTask<{ name: string; punctuation?: string }>({
  type: 'com.example.Greet',
  title: 'Greets someone.',
  properties: {
    type: 'object',
    properties: { name: { type: 'string' }, punctuation: { type: 'string', default: '!' } },
    required: ['name'],
    additionalProperties: false,
  },
  run(ctx, props) {
    ctx.logger.info(`greeting ${props.name}`);
    return { outputs: { greeting: `Hello, ${props.name}${props.punctuation}` } };
  },
});

const flow = `id: hello
namespace: api.test
inputs:
  - id: who
    type: STRING
tasks:
  - id: greet
    type: com.example.Greet
    name: "{{ inputs.who | upper }}"
outputs:
  - id: text
    type: STRING
    value: "{{ outputs.greet.greeting }}"
`;

describe('createBaton', () => {
  it('runs a flow using a custom task type written in TypeScript, and stops with await using', async () => {
    let seen: string | undefined;
    {
      await using baton = await createBaton({ data: join(root, 'one'), tasks: [greet] });
      await baton.deploy(flow);
      const e = await baton.run('api.test', 'hello', { inputs: { who: 'ada' } });
      expect(e.state.current).toBe('SUCCESS');
      expect(e.outputs).toEqual({ text: 'Hello, ADA!' });
      const logs = await baton.logs(e.id);
      seen = logs.find((l) => l.taskId === 'greet')?.message;
    }
    expect(seen).toBe('greeting ADA');
    // Stopped: the same folder opens again and still has the execution.
    await using again = await createBaton({ data: join(root, 'one'), tasks: [greet] });
    expect(await again.validate(flow)).toEqual([]);
  });

  it('keeps custom types to the engine that declares them', async () => {
    await using plain = await createBaton({ data: join(root, 'two') });
    const errors = plain.validate(flow);
    expect(errors.map((e) => e.message).join()).toContain('Invalid type: com.example.Greet');
    await expect(plain.deploy(flow)).rejects.toBeInstanceOf(FlowValidationError);
    expect(validateFlow(flow)).not.toEqual([]);
  });

  it('says what is wrong: invalid flows with positions, bad inputs with the input named', async () => {
    await using baton = await createBaton({ data: join(root, 'three'), tasks: [greet] });
    const bad = await baton
      .deploy('id: x\nnamespace: n\ntasks:\n  - id: a\n    type: com.example.Greet\n')
      .catch((e) => e);
    expect(bad).toBeInstanceOf(FlowValidationError);
    expect((bad as FlowValidationError).code).toBe('INVALID_FLOW');
    expect((bad as FlowValidationError).errors[0]).toMatchObject({ line: 4 });
    await baton.deploy(flow);
    const missing = await baton.start('api.test', 'hello').catch((e) => e);
    expect(missing).toBeInstanceOf(InputError);
    expect((missing as InputError).message).toContain('`who`');
  });

  it('opens engines with different encryption keys at once, each with its own', async () => {
    // Each data folder gets its own key file (unless BATON_ENCRYPTION_KEY gives one to all).
    const saved = process.env.BATON_ENCRYPTION_KEY;
    delete process.env.BATON_ENCRYPTION_KEY;
    try {
      await using first = await createBaton({ data: join(root, 'key-a') });
      await using second = await createBaton({ data: join(root, 'key-b') });
      const keyA = readFileSync(join(root, 'key-a', 'encryption.key'), 'utf8');
      expect(readFileSync(join(root, 'key-b', 'encryption.key'), 'utf8')).not.toBe(keyA);
      const secretFlow =
        'id: s\nnamespace: api.test\ninputs:\n  - id: pw\n    type: SECRET\ntasks:\n  - id: r\n    type: io.kestra.plugin.core.debug.Return\n    format: "{{ inputs.pw }}!"\n';
      await first.deploy(secretFlow);
      await second.deploy(secretFlow);
      const [a, b] = await Promise.all([
        first.run('api.test', 's', { inputs: { pw: 'first-secret' } }),
        second.run('api.test', 's', { inputs: { pw: 'second-secret' } }),
      ]);
      expect(a.inputs.pw).toBe('first-secret');
      expect(a.taskRuns[0]?.outputs).toEqual({ value: 'first-secret!' });
      expect(b.inputs.pw).toBe('second-secret');
      expect(b.taskRuns[0]?.outputs).toEqual({ value: 'second-secret!' });
    } finally {
      if (saved !== undefined) process.env.BATON_ENCRYPTION_KEY = saved;
    }
  });

  it('gives each engine its own envs (ENV_ variables): input defaults, conditions, tasks, outputs', async () => {
    const envFlow = `id: envs
namespace: api.test
inputs:
  - id: region
    type: STRING
    defaults: "{{ envs.region }}"
tasks:
  - id: check
    type: io.kestra.plugin.core.flow.If
    condition: "{{ envs.region == 'eu' }}"
    then:
      - id: eu
        type: io.kestra.plugin.core.debug.Return
        format: "in {{ envs.region }}"
    else:
      - id: other
        type: io.kestra.plugin.core.debug.Return
        format: "elsewhere: {{ envs.region }}"
outputs:
  - id: seen
    type: STRING
    value: "{{ inputs.region }} {{ envs.region }}"
`;
    await using eu = await createBaton({ data: join(root, 'env-eu'), env: { ENV_REGION: 'eu' } });
    await using us = await createBaton({ data: join(root, 'env-us'), env: { ENV_REGION: 'us' } });
    await eu.deploy(envFlow);
    await us.deploy(envFlow);
    const [a, b] = await Promise.all([eu.run('api.test', 'envs'), us.run('api.test', 'envs')]);
    expect(a.outputs).toEqual({ seen: 'eu eu' });
    expect(a.taskRuns.find((t) => t.taskId === 'eu')?.outputs).toEqual({ value: 'in eu' });
    expect(b.outputs).toEqual({ seen: 'us us' });
    expect(b.taskRuns.find((t) => t.taskId === 'other')?.outputs).toEqual({ value: 'elsewhere: us' });
  });

  it('loads a flow without an engine', () => {
    expect(
      loadFlow('id: a\nnamespace: b\ntasks:\n  - id: l\n    type: log\n    message: hi\n').tasks[0]?.type,
    ).toBe('io.kestra.plugin.core.log.Log');
    expect(() => loadFlow('id: a\n')).toThrow(FlowValidationError);
  });
});
