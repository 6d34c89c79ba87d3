/**
 * Secrets, Kestra OSS style: read from the environment of the worker process.
 * - `SECRET_<KEY>`: the value base64-encoded (Kestra's convention, so existing deployments carry over),
 * - `BATON_SECRET_<KEY>`: the value as is (handier for local runs).
 * `secret('KEY')` in a flow reads either; the plain form wins when both are set.
 */
import { TaskError } from '../tasks/types.ts';

export interface SecretProvider {
  /** The decoded value, or undefined when the key is not defined. */
  get(key: string): string | undefined;
  /** Every defined key (for listings and masking). */
  keys(): string[];
}

const BASE64_PREFIX = 'SECRET_';
const PLAIN_PREFIX = 'BATON_SECRET_';

/** Secrets from environment variables (`process.env` unless another map is given, as in tests). */
export const envSecrets = (env: NodeJS.ProcessEnv = process.env): SecretProvider => ({
  get(key) {
    const plain = env[PLAIN_PREFIX + key];
    if (plain !== undefined) return plain;
    const encoded = env[BASE64_PREFIX + key];
    if (encoded === undefined) return undefined;
    return Buffer.from(encoded.trim(), 'base64').toString('utf8');
  },
  keys() {
    const out = new Set<string>();
    for (const name of Object.keys(env)) {
      if (name.startsWith(PLAIN_PREFIX)) out.add(name.slice(PLAIN_PREFIX.length));
      else if (name.startsWith(BASE64_PREFIX)) out.add(name.slice(BASE64_PREFIX.length));
    }
    return [...out].sort();
  },
});

/** A fixed set of secrets (tests, embedding). */
export const mapSecrets = (values: Record<string, string>): SecretProvider => ({
  get: (key) => (Object.hasOwn(values, key) ? values[key] : undefined),
  keys: () => Object.keys(values).sort(),
});

/** Reads a secret or throws an error saying how to define it. Retrying cannot help: not retryable. */
export const requireSecret = (provider: SecretProvider, key: string): string => {
  const value = provider.get(key);
  if (value === undefined) {
    throw new TaskError(
      `secret '${key}' is not defined: set the environment variable ${PLAIN_PREFIX}${key} (plain value) ` +
        `or ${BASE64_PREFIX}${key} (base64-encoded value) for the worker process`,
      { retryable: false },
    );
  }
  return value;
};
