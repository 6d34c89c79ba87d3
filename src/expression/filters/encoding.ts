/** Encoding and hashing filters. */
import { createHash } from 'node:crypto';
import type { FilterFn } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { asString } from '../values.ts';

const hash =
  (algo: string): FilterFn =>
  (v) =>
    createHash(algo).update(asString(v, algo), 'utf8').digest('hex');

/** Java's URLEncoder: like encodeURIComponent but spaces become `+` and `!'()~` are escaped. */
function urlencode(v: unknown): string {
  return encodeURIComponent(asString(v, 'urlencode'))
    .replace(/%20/g, '+')
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function urldecode(v: unknown): string {
  try {
    return decodeURIComponent(asString(v, 'urldecode').replace(/\+/g, ' '));
  } catch {
    throw new ExpressionError('urldecode: malformed percent-encoding');
  }
}

export const ENCODING_FILTERS: Record<string, FilterFn> = {
  base64encode: (v) => Buffer.from(asString(v, 'base64encode'), 'utf8').toString('base64'),
  base64decode: (v) => {
    const s = asString(v, 'base64decode');
    if (!/^[A-Za-z0-9+/\-_\s]*=*\s*$/.test(s)) throw new ExpressionError('base64decode: input is not Base64');
    return Buffer.from(s, 'base64').toString('utf8');
  },
  urlencode,
  urldecode,
  sha1: hash('sha1'),
  sha256: hash('sha256'),
  sha512: hash('sha512'),
  md5: hash('md5'),
};
