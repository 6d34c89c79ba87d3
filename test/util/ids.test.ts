import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { base62, newId } from '../../src/util/ids.ts';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The plain definition: the bytes as one big-endian number, written in base 62 on 22 digits. */
const reference = (bytes: Uint8Array): string => {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 22; i++) {
    out = ALPHABET[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out;
};

describe('ids', () => {
  it('writes 128 bits in base 62 as the plain definition does', () => {
    const cases = [
      new Uint8Array(16),
      new Uint8Array(16).fill(0xff),
      Uint8Array.from({ length: 16 }, (_, i) => i),
    ];
    for (let i = 0; i < 1000; i++) cases.push(randomBytes(16));
    for (const bytes of cases) expect(base62(bytes, 0)).toBe(reference(bytes));
    const twice = Buffer.concat([randomBytes(16), randomBytes(16)]);
    expect(base62(twice, 16)).toBe(reference(twice.subarray(16)));
  });

  it('makes distinct 22-character ids', () => {
    const ids = Array.from({ length: 2000 }, newId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9A-Za-z]{22}$/);
  });
});
