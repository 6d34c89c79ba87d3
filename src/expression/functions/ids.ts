/** Identifier functions: uuid (v7, time-ordered, as Kestra 1.x), id, ksuid, nanoId. */
import { randomBytes } from 'node:crypto';
import { newId } from '../../util/ids.ts';
import { arg, type FunctionFn } from '../env.ts';
import { ExpressionError } from '../errors.ts';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then random bits. */
function uuidV7(now: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** KSUID (segmentio): 4 bytes of seconds since 2014-05-13T16:53:20Z, 16 random bytes, 27 base62 digits. */
const KSUID_EPOCH = 1_400_000_000;
function ksuid(now: number): string {
  const b = Buffer.concat([Buffer.alloc(4), randomBytes(16)]);
  b.writeUInt32BE(Math.floor(now / 1000) - KSUID_EPOCH, 0);
  let n = BigInt(`0x${b.toString('hex')}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out.padStart(27, '0');
}

const NANOID_ALPHABET = `${BASE62}-_`;
/** Guards memory: Kestra refuses longer ids too. */
const NANOID_MAX_LENGTH = 1000;

/** Kestra's nanoId(): each random byte masked by `alphabet.length - 1` picks a character. */
function nanoId(a: Parameters<FunctionFn>[0]): string {
  const len = arg(a, 0, 'length', 21);
  const length = typeof len === 'number' && Number.isInteger(len) ? len : 21;
  if (length > NANOID_MAX_LENGTH)
    throw new ExpressionError(`nanoId(): \`length\` must be at most ${NANOID_MAX_LENGTH}`);
  const alpha = arg(a, 1, 'alphabet');
  const alphabet = typeof alpha === 'string' ? alpha : NANOID_ALPHABET;
  if (alphabet.length === 0) throw new ExpressionError('nanoId(): `alphabet` must not be empty');
  const mask = alphabet.length - 1;
  return [...randomBytes(Math.max(0, length))].map((byte) => alphabet[byte & mask]).join('');
}

const clock = (env: Parameters<FunctionFn>[1]): number =>
  env.services.now ? env.services.now().getTime() : Date.now();

export const ID_FUNCTIONS: Record<string, FunctionFn> = {
  uuid: (_a, env) => uuidV7(clock(env)),
  id: () => newId(),
  ksuid: (_a, env) => ksuid(clock(env)),
  nanoId,
};
