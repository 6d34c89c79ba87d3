/**
 * Encryption at rest of SECRET inputs (AES-256-GCM). Executions store the encrypted text; tasks see the
 * value decrypted in their expression context. The key comes from `BATON_ENCRYPTION_KEY` (base64 of 32
 * bytes) or, on the embedded store, from a key file created beside the database on first start.
 * The key belongs to an engine (see `SecretCipher`), not to the process. Without a key (pure unit
 * tests, `plainCipher`), values are kept as they are.
 */

import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';

const PREFIX = 'enc:v1:';

/**
 * Encrypts and decrypts with one key. Each engine holds its own (made from its data folder's key) and
 * hands it down to what encrypts or opens values (creation, the reducer step, the worker, the displays):
 * two engines with different keys can run in one process, each reading only its own data.
 */
export interface SecretCipher {
  /** The value encrypted (`enc:v1:...`); kept as it is by the cipher without a key. */
  encrypt(plain: string): string;
  /** An encrypted value decrypted (a plain one is returned as it is); throws when it is not ours. */
  decrypt(value: string): string;
}

/** A cipher with this key (32 bytes: base64 of 32 random bytes in BATON_ENCRYPTION_KEY). */
export const secretCipher = (k: Buffer): SecretCipher => {
  if (k.length !== 32) throw new Error('the encryption key must be 32 bytes (base64 of 32 random bytes)');
  // A copy the caller cannot change (or zero) afterwards, and that no log or inspection shows.
  const key = createSecretKey(k);
  return {
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(value) {
      if (!isEncrypted(value)) return value;
      const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
};

/** Without a key (pure unit tests): values are kept as they are; an encrypted one cannot be opened. */
export const plainCipher: SecretCipher = {
  encrypt: (plain) => plain,
  decrypt(value) {
    if (!isEncrypted(value)) return value;
    throw new Error('a SECRET value is encrypted but no encryption key is configured (BATON_ENCRYPTION_KEY)');
  },
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
