import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const CODES = Array.from(ALPHABET, (c) => c.charCodeAt(0));
const LENGTH = 22;

/**
 * Random bytes drawn from the system's generator a few kilobytes at a time: one call per id cost more
 * than the rest of making it (a ForEach over 100,000 values makes 100,000 ids in one step).
 */
const pool = Buffer.alloc(16 * 256);
let used = pool.length;

/** A random 22-character base62 id, like Kestra's (URL- and path-safe, 128 bits of randomness). */
export const newId = (): string => {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  let n = 0n;
  for (let i = used; i < used + 16; i++) n = (n << 8n) | BigInt(pool[i]!);
  used += 16;
  // One flat string: prepending characters one by one made a chain of 22 string pieces per id, kept
  // until the id was first used as a key, which made every id cost a kilobyte of garbage.
  const codes = new Array<number>(LENGTH);
  for (let i = LENGTH - 1; i >= 0; i--) {
    codes[i] = CODES[Number(n % 62n)]!;
    n /= 62n;
  }
  return String.fromCharCode(...codes);
};
