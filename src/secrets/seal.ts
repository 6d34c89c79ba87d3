/**
 * Secrets an execution has seen, and the values that carry them.
 *
 * - Every value a task of the execution obtained from `secret()` is remembered in `execution.secrets`,
 *   each one encrypted (AES-256-GCM, the key of SECRET inputs, see encryption.ts). With its SECRET inputs
 *   these are the execution's *known secrets*: every later task's logger, the executor's own log lines
 *   and the displays mask them. We keep them encrypted rather than as salted hashes: masking needs the
 *   value itself (finding a hashed secret in a line would mean hashing every substring of every line),
 *   and whoever can read the key (in the data folder, private) can read the secrets anyway.
 * - A stored value that carries a known secret (task outputs, flow outputs, execution variables) is
 *   *sealed*: each string containing one is replaced by its encryption (`enc:v1:...`). Expression
 *   contexts open them (tasks still receive a secret passed on through an output, as in Kestra), displays
 *   show a sealed string as `******`, the database holds only ciphertext.
 * Encrypting and opening use the engine's cipher, given to each of these (`cipher`); without a key
 * (pure unit tests, `plainCipher`) values are kept as they are. Masking for displays needs no key.
 */
import type { Execution } from '../execution/types.ts';
import type { Flow } from '../flow/types.ts';
import { isEncrypted, type SecretCipher } from './encryption.ts';

export const MASK = '******';
/** Masking one- or two-character values would shred every message and reveal the secret by elimination. */
export const MIN_SECRET_LENGTH = 3;

type SecretsOf = Pick<Execution, 'inputs' | 'secrets'>;

/** Whether the execution may hold sealed values (cheap: nothing is decrypted). */
export const hasSecrets = (flow: Pick<Flow, 'inputs'> | undefined, execution: SecretsOf): boolean =>
  (execution.secrets?.length ?? 0) > 0 || (flow?.inputs ?? []).some((i) => i.type === 'SECRET');

// Decrypted once per list and cipher: the arrays are replaced, never changed, when a secret is added.
// Per cipher: an engine with another key (in the same process) reads the same array differently.
interface Opened {
  lists: WeakMap<readonly string[], string[]>;
  inputs: WeakMap<object, string[]>;
}
const opened = new WeakMap<SecretCipher, Opened>();
const openedBy = (cipher: SecretCipher): Opened => {
  let cache = opened.get(cipher);
  if (!cache) {
    cache = { lists: new WeakMap(), inputs: new WeakMap() };
    opened.set(cipher, cache);
  }
  return cache;
};

const maskable = (values: Iterable<string>): string[] =>
  [...new Set(values)].filter((v) => v.length >= MIN_SECRET_LENGTH);

/** The plain values of the execution's known secrets: its SECRET inputs and `execution.secrets`. */
export const knownSecrets = (
  flow: Pick<Flow, 'inputs'> | undefined,
  execution: SecretsOf,
  cipher: SecretCipher,
): string[] => {
  const out: string[] = [];
  const { lists: openedLists, inputs: openedInputs } = openedBy(cipher);
  const secretInputs = (flow?.inputs ?? []).filter((i) => i.type === 'SECRET');
  if (secretInputs.length > 0 && execution.inputs) {
    let values = openedInputs.get(execution.inputs);
    if (!values) {
      values = secretInputs.map((i) => execution.inputs[i.id]).filter((v) => typeof v === 'string');
      values = maskable(values.map((v) => cipher.decrypt(v)));
      openedInputs.set(execution.inputs, values);
    }
    out.push(...values);
  }
  if (execution.secrets?.length) {
    let values = openedLists.get(execution.secrets);
    if (!values) {
      values = maskable(execution.secrets.map((v) => cipher.decrypt(v)));
      openedLists.set(execution.secrets, values);
    }
    out.push(...values);
  }
  return out;
};

/** The known secrets still encrypted (for another execution: a subflow, its parent). */
export const sealedSecrets = (
  flow: Pick<Flow, 'inputs'> | undefined,
  execution: SecretsOf,
  cipher: SecretCipher,
): string[] | undefined => {
  const inputs = (flow?.inputs ?? [])
    .filter((i) => i.type === 'SECRET')
    .map((i) => execution.inputs?.[i.id])
    .filter((v): v is string => typeof v === 'string');
  if (inputs.length === 0) return execution.secrets;
  return [...inputs.map((v) => (isEncrypted(v) ? v : cipher.encrypt(v))), ...(execution.secrets ?? [])];
};

/** `execution.secrets` with those of `sealed` (encrypted values) it did not know yet; the same when none. */
export const withSecrets = (
  flow: Pick<Flow, 'inputs'> | undefined,
  execution: SecretsOf,
  sealed: readonly string[] | undefined,
  cipher: SecretCipher,
): string[] | undefined => {
  if (!sealed?.length) return execution.secrets;
  const known = new Set(knownSecrets(flow, execution, cipher));
  const added: string[] = [];
  for (const s of sealed) {
    const plain = open(s, cipher);
    if (plain.length < MIN_SECRET_LENGTH || known.has(plain)) continue;
    known.add(plain);
    added.push(s);
  }
  return added.length > 0 ? [...(execution.secrets ?? []), ...added] : execution.secrets;
};

const isPlainObject = (v: unknown): v is Record<string, unknown> => {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

/** Applies `f` to every string of a JSON-like value; shares what did not change. */
const mapStrings = (value: unknown, f: (s: string) => string): unknown => {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) {
    const next = value.map((v) => mapStrings(v, f));
    return next.some((v, i) => v !== value[i]) ? next : value;
  }
  if (isPlainObject(value)) {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value)) {
      const next = mapStrings(v, f);
      if (next === v) continue;
      out ??= { ...value };
      out[k] = next;
    }
    return out ?? value;
  }
  return value;
};

const containsAny = (s: string, known: readonly string[]): boolean => known.some((k) => s.includes(k));

/** `value` with every string that contains a known secret encrypted; the same object when none does. */
export const sealSecrets = <T>(value: T, known: readonly string[], cipher: SecretCipher): T =>
  known.length === 0
    ? value
    : (mapStrings(value, (s) => (!isEncrypted(s) && containsAny(s, known) ? cipher.encrypt(s) : s)) as T);

/** A sealed string decrypted; one that is not ours (another key, or none) stays as it is. */
const open = (s: string, cipher: SecretCipher): string => {
  if (!isEncrypted(s)) return s;
  try {
    return cipher.decrypt(s);
  } catch {
    return s;
  }
};

/** `value` with its sealed strings decrypted (what expressions and the embedding program see). */
export const openSecrets = <T>(value: T, cipher: SecretCipher): T =>
  mapStrings(value, (s) => open(s, cipher)) as T;

/** Replaces every known secret in `text` by `******`, longest first so that overlapping values mask whole. */
export const maskText = (text: string, known: readonly string[]): string => {
  let out = text;
  for (const v of [...known].sort((a, b) => b.length - a.length))
    if (out.includes(v)) out = out.split(v).join(MASK);
  return out;
};

/** For displays: sealed strings shown as `******`, and known secrets masked in the others. */
export const maskSealed = <T>(value: T, known: readonly string[] = []): T =>
  mapStrings(value, (s) => (isEncrypted(s) ? MASK : maskText(s, known))) as T;

/**
 * The execution as the embedding program sees it (`createBaton().run()`...): its SECRET inputs, task
 * outputs, flow outputs and variables decrypted. The program runs the engine and holds the key: these
 * are its own data. `secrets` stays encrypted.
 */
export const openExecution = (execution: Execution, cipher: SecretCipher): Execution => ({
  ...execution,
  inputs: openSecrets(execution.inputs, cipher),
  ...(execution.outputs ? { outputs: openSecrets(execution.outputs, cipher) } : {}),
  ...(execution.variables ? { variables: openSecrets(execution.variables, cipher) } : {}),
  taskRuns: execution.taskRuns.map((tr) =>
    tr.outputs ? { ...tr, outputs: openSecrets(tr.outputs, cipher) } : tr,
  ),
});
