/** SELECT inputs' `expression` rendered when an execution is built: pure functions, flow context, kv(). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildExecution, InputError } from '../../src/executor/create.ts';
import type { Flow } from '../../src/flow/types.ts';
import { plainCipher } from '../../src/secrets/encryption.ts';
import { startEngine, type TestEngine } from '../helpers/engine.ts';

const flow = (expression: string): Flow =>
  ({
    id: 'pick',
    namespace: 'company.team',
    tasks: [],
    inputs: [{ id: 'region', type: 'SELECT', expression }],
  }) as unknown as Flow;

const build = (f: Flow, region: string, kv?: Record<string, unknown>) =>
  buildExecution({
    id: 'e1',
    flow: f,
    revision: 1,
    inputs: { region },
    now: Date.parse('2025-01-01T00:00:00Z'),
    expressionServices: kv ? { kv: (ns, key) => kv[`${ns}/${key}`] ?? null } : undefined,
    cipher: plainCipher,
  });

describe('buildExecution and SELECT expression', () => {
  it('renders with the execution context (flow, labels...) and pure functions', () => {
    const f = flow("{{ ['dev', flow.namespace | upper] }}");
    expect(build(f, 'COMPANY.TEAM').inputs).toEqual({ region: 'COMPANY.TEAM' });
    expect(() => build(f, 'prod')).toThrow(InputError);
    expect(() => build(f, 'prod')).toThrow('it must match the values `[dev, COMPANY.TEAM]`');
  });

  it('calls kv() through the services given', () => {
    const f = flow("{{ kv('regions') }}");
    expect(build(f, 'eu', { 'company.team/regions': ['eu', 'us'] }).inputs).toEqual({ region: 'eu' });
    expect(() => build(f, 'ap', { 'company.team/regions': ['eu', 'us'] })).toThrow('`[eu, us]`');
    expect(() => build(f, 'eu')).toThrow('cannot render `expression`: kv() is not available here');
  });
});

describe('SELECT expression end to end', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => engine?.dispose());

  it('an execution is refused unless its value is in the list kv() gives', async () => {
    await engine.store.kvSet('company.team', 'regions', ['eu', 'us']);
    await engine.deploy(`id: pick
namespace: company.team
inputs:
  - id: region
    type: SELECT
    expression: "{{ kv('regions') }}"
tasks:
  - id: show
    type: io.kestra.plugin.core.debug.Return
    format: "{{ inputs.region }}"
`);
    const ok = await engine.run('company.team', 'pick', { region: 'us' });
    expect(ok.state.current).toBe('SUCCESS');
    await expect(engine.run('company.team', 'pick', { region: 'mars' })).rejects.toThrow(
      'Invalid input for `region`, it must match the values `[eu, us]`, but received `mars`',
    );
  });
});
