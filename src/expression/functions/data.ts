/** Parsing and encryption functions: fromIon (Kestra's row files), encrypt and decrypt (AES-GCM). */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { arg, type CallArgs, type FunctionFn } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { fromIon } from '../ion.ts';
import { isTruthy, toStr, typeName } from '../values.ts';

/** Kestra's EncryptionService: AES/GCM/NoPadding, 12-byte IV in front, 128-bit tag at the end, Base64. */
const IV_LENGTH = 12;
const TAG_LENGTH = 16;

function aesKey(
  a: CallArgs,
  fn: string,
): { key: Buffer; algorithm: 'aes-128-gcm' | 'aes-192-gcm' | 'aes-256-gcm' } {
  const k = arg(a, 0, 'key');
  if (k === undefined || k === null)
    throw new ExpressionError(`${fn}(): expects the arguments 'key' and a text`);
  const key = Buffer.from(toStr(k), 'base64');
  const algorithm = ({ 16: 'aes-128-gcm', 24: 'aes-192-gcm', 32: 'aes-256-gcm' } as const)[key.length];
  if (!algorithm)
    throw new ExpressionError(
      `${fn}(): 'key' must be a Base64 AES key of 16, 24 or 32 bytes, got ${key.length}`,
    );
  return { key, algorithm };
}

function text(a: CallArgs, name: string, fn: string): string {
  const v = arg(a, 1, name);
  if (v === undefined || v === null)
    throw new ExpressionError(`${fn}(): expects the arguments 'key' and '${name}'`);
  return toStr(v);
}

function encrypt(a: CallArgs): string {
  const plaintext = text(a, 'plaintext', 'encrypt');
  const { key, algorithm } = aesKey(a, 'encrypt');
  const iv = randomBytes(IV_LENGTH);
  const cipher = createCipheriv(algorithm, key, iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64');
}

function decrypt(a: CallArgs): string {
  const input = Buffer.from(text(a, 'encrypted', 'decrypt'), 'base64');
  const { key, algorithm } = aesKey(a, 'decrypt');
  if (input.length < IV_LENGTH + TAG_LENGTH)
    throw new ExpressionError('decrypt(): the encrypted text is too short');
  try {
    const decipher = createDecipheriv(algorithm, key, input.subarray(0, IV_LENGTH));
    decipher.setAuthTag(input.subarray(input.length - TAG_LENGTH));
    const body = input.subarray(IV_LENGTH, input.length - TAG_LENGTH);
    return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
  } catch {
    throw new ExpressionError('decrypt(): wrong key, or the text was not produced by encrypt()');
  }
}

export const DATA_FUNCTIONS: Record<string, FunctionFn> = {
  fromIon: (a) => {
    if (a.pos.length === 0 && !a.named.has('ion'))
      throw new ExpressionError("fromIon(): expects an argument 'ion'");
    const ion = arg(a, 0, 'ion');
    if (ion === null || ion === undefined) return null;
    if (typeof ion !== 'string')
      throw new ExpressionError(`fromIon(): 'ion' must be a string, got ${typeName(ion)}`);
    return fromIon(ion, isTruthy(arg(a, 1, 'allRows', false)));
  },
  encrypt,
  decrypt,
};
