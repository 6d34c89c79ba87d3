/**
 * Encryption at rest of SECRET inputs (AES-256-GCM). Executions store the encrypted text; tasks see the
 * value decrypted in their expression context. The key comes from `BATON_ENCRYPTION_KEY` (base64 of 32
 * bytes) or, on the embedded store, from a key file created beside the database on first start.
 * Without a configured key (pure unit tests), values are kept as they are.
 */

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { BatonError } from '../errors.ts';

const PREFIX = 'enc:v1:';
let key: Buffer | undefined;

export const setEncryptionKey = (k: Buffer | undefined): void => {
  if (k && k.length !== 32)
    throw new Error('the encryption key must be 32 bytes (base64 of 32 random bytes)');
  key = k;
};

/**
 * The key is still process-wide (encryption happens deep in the executor and the worker): an engine takes
 * it for as long as it is open. Two engines open at once with different keys would silently encrypt with
 * the wrong one, so the second is refused with a message saying what to do; engines sharing a key (or
 * opened one after the other) are fine. Returns the release function.
 */
let holders = 0;
export const acquireEncryptionKey = (k: Buffer): (() => void) => {
  if (holders > 0 && key && !key.equals(k)) {
    throw new BatonError(
      'DATA_DIR',
      'another engine with a different encryption key is open in this process: give both data folders the same key (BATON_ENCRYPTION_KEY) or open them one after the other',
    );
  }
  setEncryptionKey(k);
  holders++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    holders--;
  };
};

/** BATON_ENCRYPTION_KEY, else the key file (created, readable by its owner only, when missing). */
export const loadEncryptionKey = (keyFile: string): Buffer => {
  const fromEnv = process.env.BATON_ENCRYPTION_KEY;
  if (fromEnv) return Buffer.from(fromEnv, 'base64');
  if (existsSync(keyFile)) {
    // Whoever reads the key reads every secret stored with it: a key file made readable since is closed.
    if ((statSync(keyFile).mode & 0o077) !== 0) chmodSync(keyFile, 0o600);
    return Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64');
  }
  const fresh = randomBytes(32);
  writeFileSync(keyFile, fresh.toString('base64'), { mode: 0o600, flag: 'wx' });
  return fresh;
};

export const isEncrypted = (v: unknown): v is string => typeof v === 'string' && v.startsWith(PREFIX);

export const encryptSecret = (plain: string): string => {
  if (!key) return plain;
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
};

export const decryptSecret = (value: string): string => {
  if (!isEncrypted(value)) return value;
  if (!key)
    throw new Error('a SECRET input is encrypted but no encryption key is configured (BATON_ENCRYPTION_KEY)');
  const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
};
