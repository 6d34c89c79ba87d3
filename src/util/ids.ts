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

/** The 128-bit number being turned into digits, as four 32-bit words, most significant first. */
const words = new Uint32Array(4);
const codes = new Array<number>(LENGTH);

/**
 * The 16 bytes at `offset` (a big-endian 128-bit number) in base 62, 22 digits. Divided with plain
 * numbers, 32 bits at a time (a remainder times 2^32 plus a word stays below 2^38, exact in a double):
 * with BigInt, each of the 60 or so operations made a new heap number, two kilobytes of garbage per id.
 */
export const base62 = (bytes: Uint8Array, offset: number): string => {
  for (let w = 0; w < 4; w++) {
    const i = offset + w * 4;
    words[w] = ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!) >>> 0;
  }
  for (let d = LENGTH - 1; d >= 0; d--) {
    let rem = 0;
    for (let w = 0; w < 4; w++) {
      const cur = rem * 0x1_0000_0000 + words[w]!;
      words[w] = Math.floor(cur / 62);
      rem = cur % 62;
    }
    codes[d] = CODES[rem]!;
  }
  // One flat string: prepending characters one by one made a chain of 22 string pieces per id, kept
  // until the id was first used as a key, which made every id cost a kilobyte of garbage.
  return String.fromCharCode(...codes);
};

/** A random 22-character base62 id, like Kestra's (URL- and path-safe, 128 bits of randomness). */
export const newId = (): string => {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const id = base62(pool, used);
  used += 16;
  return id;
};
