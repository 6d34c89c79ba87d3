/**
 * Password hashes with scrypt from node:crypto (memory-hard, no native addon). Stored as
 * `scrypt$N$r$p$salt$hash` so that the cost can be raised later without breaking stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/** N=2^15, r=8, p=1: about 32 MB and 50-100 ms per hash on this class of machine (OWASP's floor). */
const N = 1 << 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
/** scrypt needs 128*N*r bytes; Node refuses above maxmem, whose default (32 MB) is just too small. */
const MAX_MEM = 128 * N * R * 2;

const derive = (password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });

export const hashPassword = async (password: string): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
};

/** Compares in constant time; a malformed hash never matches. */
export const verifyPassword = async (password: string, stored: string): Promise<boolean> => {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
};

/** A password for the first admin when none is given: 24 random characters, printed once. */
export const generatePassword = (): string => randomBytes(18).toString('base64url');
