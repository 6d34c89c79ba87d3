/**
 * The encryption key belongs to an engine, not to the process: two engines open at once with different
 * keys each run flows with SECRET inputs and secrets passed on through outputs, each opens its own data,
 * and what one stored cannot be opened with the other's key.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Execution, isTerminal } from '../../src/execution/types.ts';
import { loadFlowSource } from '../../src/flow/index.ts';
import { type Embedded, openEmbedded } from '../../src/runtime/embedded.ts';
import { waitForExecution } from '../../src/runtime/wait.ts';
import { isEncrypted, secretCipher } from '../../src/secrets/encryption.ts';
import { knownSecrets, MASK, openExecution, openSecrets } from '../../src/secrets/seal.ts';

const root = mkdtempSync(join(tmpdir(), 'baton-two-keys-'));
const TOKENS = { A: 'token-of-engine-A-111', B: 'token-of-engine-B-222' };
beforeAll(() => {
  process.env.BATON_SECRET_TWO_KEYS_A = TOKENS.A;
  process.env.BATON_SECRET_TWO_KEYS_B = TOKENS.B;
});
afterAll(() => {
  delete process.env.BATON_SECRET_TWO_KEYS_A;
  delete process.env.BATON_SECRET_TWO_KEYS_B;
  rmSync(root, { recursive: true, force: true });
});

/** A SECRET input and a `secret()` value, both passed on through task outputs to a flow output. */
const flowOf = (name: 'A' | 'B') => `id: keyed
namespace: two.keys
inputs:
  - id: pw
    type: SECRET
tasks:
  - id: token
    type: io.kestra.plugin.core.debug.Return
    format: "{{ secret('TWO_KEYS_${name}') }}"
  - id: both
    type: io.kestra.plugin.core.debug.Return
    format: "{{ outputs.token.value }}/{{ inputs.pw }}"
  - id: log
    type: io.kestra.plugin.core.log.Log
    message: "seen {{ outputs.both.value }}"
outputs:
  - id: combined
    type: STRING
    value: "{{ outputs.both.value }}"
`;

const run = async (engine: Embedded, name: 'A' | 'B', pw: string): Promise<Execution> => {
  const source = flowOf(name);
  const { flow } = loadFlowSource(source, 'keyed.yaml');
  await engine.store.saveFlow(flow!.namespace, flow!.id, source);
  const created = await engine.executor.createExecution({
    flow: await engine.flows.get('two.keys', 'keyed'),
    revision: 1,
    inputs: { pw },
  });
  return waitForExecution(engine.executor, created.id, (e) => isTerminal(e.state.current));
};

describe('engines with different keys in one process', () => {
  it('run at once, each opening its own data and none the other', async () => {
    const keys = { A: randomBytes(32), B: randomBytes(32) };
    const a = await openEmbedded({ dataDir: join(root, 'a'), encryptionKey: keys.A });
    const b = await openEmbedded({ dataDir: join(root, 'b'), encryptionKey: keys.B });
    try {
      const pw = { A: 'password-of-A-1', B: 'password-of-B-2' };
      const [ea, eb] = await Promise.all([run(a, 'A', pw.A), run(b, 'B', pw.B)]);
      for (const [name, engine, e] of [
        ['A', a, ea],
        ['B', b, eb],
      ] as const) {
        expect(e.state.current, `${name}: ${e.error}`).toBe('SUCCESS');
        // Stored: the input, the outputs carrying a secret and the remembered secret, all encrypted.
        const stored = (await engine.store.getExecution(e.id))!;
        expect(isEncrypted(stored.inputs.pw)).toBe(true);
        expect(isEncrypted(stored.outputs?.combined)).toBe(true);
        expect(stored.secrets?.every(isEncrypted)).toBe(true);
        expect(JSON.stringify(stored)).not.toContain(pw[name]);
        expect(JSON.stringify(stored)).not.toContain(TOKENS[name]);
        // Its own engine opens it all.
        const opened = openExecution(stored, engine.cipher);
        expect(opened.inputs.pw).toBe(pw[name]);
        expect(opened.outputs).toEqual({ combined: `${TOKENS[name]}/${pw[name]}` });
        expect(opened.taskRuns.find((t) => t.taskId === 'token')?.outputs).toEqual({ value: TOKENS[name] });
        const flow = await engine.flows.get('two.keys', 'keyed');
        expect(knownSecrets(flow, stored, engine.cipher).sort()).toEqual([pw[name], TOKENS[name]].sort());
        // The task that used them had them in plain text; its log line masks them.
        const logs = await engine.store.queryLogs({ executionId: e.id });
        const line = logs.find((l) => l.taskId === 'log')?.message;
        expect(line).toBe(`seen ${MASK}/${MASK}`);
      }
      // The other engine's key opens nothing of it.
      const storedA = (await a.store.getExecution(ea.id))!;
      const storedB = (await b.store.getExecution(eb.id))!;
      expect(() => b.cipher.decrypt(storedA.inputs.pw as string)).toThrow();
      expect(() => a.cipher.decrypt(storedB.inputs.pw as string)).toThrow();
      expect(() => secretCipher(keys.A).decrypt(storedB.secrets![0]!)).toThrow();
      expect(openSecrets(storedA.outputs, b.cipher)).toEqual(storedA.outputs);
      expect(openSecrets(storedB.outputs, a.cipher)).toEqual(storedB.outputs);
      // A third cipher made from the same key as A (A's data folder opened again) opens A's data.
      expect(secretCipher(keys.A).decrypt(storedA.inputs.pw as string)).toBe(pw.A);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
