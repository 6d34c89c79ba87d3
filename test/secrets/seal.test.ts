/** Sealing values that carry a secret (src/secrets/seal.ts): pure, with a real key. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Execution } from '../../src/execution/types.ts';
import { isEncrypted, plainCipher, secretCipher } from '../../src/secrets/encryption.ts';
import {
  knownSecrets,
  MASK,
  maskSealed,
  openExecution,
  openSecrets,
  sealSecrets,
  withSecrets,
} from '../../src/secrets/seal.ts';

const cipher = secretCipher(randomBytes(32));
const encryptSecret = (plain: string) => cipher.encrypt(plain);

const flow = { inputs: [{ id: 'pw', type: 'SECRET' as const }] };

describe('sealing', () => {
  it('encrypts exactly the strings that contain a known secret, sharing the rest', () => {
    const value = { a: 'token=abc123', b: ['plain', { c: 'x abc123 y' }], d: 5, e: { f: 'untouched' } };
    const sealed = sealSecrets(value, ['abc123'], cipher);
    expect(isEncrypted(sealed.a)).toBe(true);
    expect(sealed.b[0]).toBe('plain');
    expect(isEncrypted((sealed.b[1] as { c: string }).c)).toBe(true);
    expect(sealed.e).toBe(value.e);
    expect(JSON.stringify(sealed)).not.toContain('abc123');
    expect(openSecrets(sealed, cipher)).toEqual(value);
    expect(sealSecrets(value, [], cipher)).toBe(value);
    expect(sealSecrets({ ok: 'nothing here' }, ['abc123'], cipher)).toEqual({ ok: 'nothing here' });
  });

  it('shows sealed strings as ****** and masks known secrets in the others', () => {
    const shown = maskSealed({ a: encryptSecret('abc123'), b: 'see abc123' }, ['abc123']);
    expect(shown).toEqual({ a: MASK, b: `see ${MASK}` });
  });

  it('leaves alone a string that only looks sealed', () => {
    expect(openSecrets({ a: 'enc:v1:not-ours' }, cipher)).toEqual({ a: 'enc:v1:not-ours' });
  });

  it('knows the SECRET inputs and the remembered secrets, each once', () => {
    const execution = { inputs: { pw: encryptSecret('password1'), other: 'x' } } as Pick<
      Execution,
      'inputs' | 'secrets'
    >;
    expect(knownSecrets(flow, execution, cipher)).toEqual(['password1']);
    const secrets = withSecrets(
      flow,
      execution,
      [encryptSecret('tok-1'), encryptSecret('password1')],
      cipher,
    );
    expect(secrets).toHaveLength(1);
    const after = { ...execution, secrets };
    expect(knownSecrets(flow, after, cipher)).toEqual(['password1', 'tok-1']);
    expect(withSecrets(flow, after, [encryptSecret('tok-1')], cipher)).toBe(secrets);
    // Too short to mask without shredding every line: not remembered.
    expect(withSecrets(flow, after, [encryptSecret('ab')], cipher)).toBe(secrets);
  });

  it('opens an execution for the embedding program, leaving its secrets list encrypted', () => {
    const secret = encryptSecret('tok-1');
    const e = {
      inputs: { pw: encryptSecret('password1') },
      outputs: { o: secret },
      secrets: [secret],
      taskRuns: [{ outputs: { value: secret } }],
    } as unknown as Execution;
    const opened = openExecution(e, cipher);
    expect(opened.inputs.pw).toBe('password1');
    expect(opened.outputs).toEqual({ o: 'tok-1' });
    expect(opened.taskRuns[0]!.outputs).toEqual({ value: 'tok-1' });
    expect(opened.secrets).toEqual([secret]);
  });

  it('reads with the cipher it is given: another key opens nothing, and caches are per cipher', () => {
    const other = secretCipher(randomBytes(32));
    const execution = { inputs: { pw: encryptSecret('password1') }, secrets: [encryptSecret('tok-123')] };
    // Another engine's key: the same arrays are read (and cached) for it, and fail to open.
    expect(() => knownSecrets(flow, execution, other)).toThrow();
    expect(knownSecrets(flow, execution, cipher)).toEqual(['password1', 'tok-123']);
    expect(() => knownSecrets(flow, execution, other)).toThrow();
    const sealed = sealSecrets({ v: 'x tok-123' }, ['tok-123'], cipher);
    expect(openSecrets(sealed, other)).toEqual(sealed);
    expect(openSecrets(sealed, plainCipher)).toEqual(sealed);
    expect(openSecrets(sealed, cipher)).toEqual({ v: 'x tok-123' });
    expect(() => other.decrypt(sealed.v)).toThrow();
  });

  it('keeps values as they are without a key', () => {
    expect(plainCipher.encrypt('abc')).toBe('abc');
    expect(sealSecrets({ a: 'abc123' }, ['abc123'], plainCipher)).toEqual({ a: 'abc123' });
    expect(() => plainCipher.decrypt(encryptSecret('abc'))).toThrow(/no encryption key/);
    expect(() => secretCipher(Buffer.alloc(16))).toThrow(/32 bytes/);
  });
});
