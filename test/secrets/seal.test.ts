/** Sealing values that carry a secret (src/secrets/seal.ts): pure, with a real key. */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { encryptSecret, isEncrypted, setEncryptionKey } from '../../src/secrets/encryption.ts';
import {
  knownSecrets,
  MASK,
  maskSealed,
  openExecution,
  openSecrets,
  sealSecrets,
  withSecrets,
} from '../../src/secrets/seal.ts';

beforeAll(() => setEncryptionKey(randomBytes(32)));
afterAll(() => setEncryptionKey(undefined));

const flow = { inputs: [{ id: 'pw', type: 'SECRET' as const }] };

describe('sealing', () => {
  it('encrypts exactly the strings that contain a known secret, sharing the rest', () => {
    const value = { a: 'token=abc123', b: ['plain', { c: 'x abc123 y' }], d: 5, e: { f: 'untouched' } };
    const sealed = sealSecrets(value, ['abc123']);
    expect(isEncrypted(sealed.a)).toBe(true);
    expect(sealed.b[0]).toBe('plain');
    expect(isEncrypted((sealed.b[1] as { c: string }).c)).toBe(true);
    expect(sealed.e).toBe(value.e);
    expect(JSON.stringify(sealed)).not.toContain('abc123');
    expect(openSecrets(sealed)).toEqual(value);
    expect(sealSecrets(value, [])).toBe(value);
    expect(sealSecrets({ ok: 'nothing here' }, ['abc123'])).toEqual({ ok: 'nothing here' });
  });

  it('shows sealed strings as ****** and masks known secrets in the others', () => {
    const shown = maskSealed({ a: encryptSecret('abc123'), b: 'see abc123' }, ['abc123']);
    expect(shown).toEqual({ a: MASK, b: `see ${MASK}` });
  });

  it('leaves alone a string that only looks sealed', () => {
    expect(openSecrets({ a: 'enc:v1:not-ours' })).toEqual({ a: 'enc:v1:not-ours' });
  });

  it('knows the SECRET inputs and the remembered secrets, each once', () => {
    const execution = { inputs: { pw: encryptSecret('password1'), other: 'x' } } as Pick<
      Execution,
      'inputs' | 'secrets'
    >;
    expect(knownSecrets(flow, execution)).toEqual(['password1']);
    const secrets = withSecrets(flow, execution, [encryptSecret('tok-1'), encryptSecret('password1')]);
    expect(secrets).toHaveLength(1);
    const after = { ...execution, secrets };
    expect(knownSecrets(flow, after)).toEqual(['password1', 'tok-1']);
    expect(withSecrets(flow, after, [encryptSecret('tok-1')])).toBe(secrets);
    // Too short to mask without shredding every line: not remembered.
    expect(withSecrets(flow, after, [encryptSecret('ab')])).toBe(secrets);
  });

  it('opens an execution for the embedding program, leaving its secrets list encrypted', () => {
    const secret = encryptSecret('tok-1');
    const e = {
      inputs: { pw: encryptSecret('password1') },
      outputs: { o: secret },
      secrets: [secret],
      taskRuns: [{ outputs: { value: secret } }],
    } as unknown as Execution;
    const opened = openExecution(e);
    expect(opened.inputs.pw).toBe('password1');
    expect(opened.outputs).toEqual({ o: 'tok-1' });
    expect(opened.taskRuns[0]!.outputs).toEqual({ value: 'tok-1' });
    expect(opened.secrets).toEqual([secret]);
  });
});
