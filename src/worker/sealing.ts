/**
 * What an attempt hands back to the executor goes through the queue table: it carries no secret in
 * plain text. Outputs holding one are sealed, label values masked, and the secrets the attempt obtained
 * are reported (encrypted) for the execution to remember (see src/secrets/seal.ts).
 */
import type { ExecutorEvent } from '../executor/types.ts';
import type { SecretCipher } from '../secrets/encryption.ts';
import { sealSecrets } from '../secrets/seal.ts';
import type { SecretMasker } from './logger.ts';

export type ResultEvent = Extract<ExecutorEvent, { type: 'task-result' }>;

/** `before`: the secrets the execution knew when the attempt started. */
export const sealResult = (
  result: ResultEvent,
  masker: SecretMasker,
  before: ReadonlySet<string>,
  cipher: SecretCipher,
): ResultEvent => {
  const values = masker.values;
  if (values.length === 0) return result;
  const out: ResultEvent = { ...result };
  if (result.outputs) out.outputs = sealSecrets(result.outputs, values, cipher);
  if (result.effects)
    out.effects = result.effects.map((e) =>
      e.kind === 'labels'
        ? { ...e, labels: e.labels.map((l) => ({ key: l.key, value: masker.mask(String(l.value)) })) }
        : e,
    );
  const fresh = values.filter((v) => !before.has(v));
  if (fresh.length > 0) out.secrets = fresh.map((v) => cipher.encrypt(v));
  return out;
};
