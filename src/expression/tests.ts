/** Tests: `x is name`, `x is not name`. `defined` is handled by the evaluator (it must see "missing"). */
import { arg, type TestFn } from './env.ts';
import { isMap, toNumber } from './values.ts';

function isJson(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  try {
    JSON.parse(v);
    return true;
  } catch {
    return false;
  }
}

const integer = (v: unknown, what: string): number => {
  const n = toNumber(v, what);
  return Number.isInteger(n) ? n : Number.NaN;
};

export const TESTS = new Map<string, TestFn>([
  ['null', (v) => v === null || v === undefined],
  [
    'empty',
    (v) =>
      v === null ||
      v === undefined ||
      v === '' ||
      (Array.isArray(v) && v.length === 0) ||
      (isMap(v) && Object.keys(v).length === 0),
  ],
  ['even', (v) => Math.abs(integer(v, 'is even')) % 2 === 0],
  ['odd', (v) => Math.abs(integer(v, 'is odd')) % 2 === 1],
  ['iterable', (v) => Array.isArray(v)],
  ['map', (v) => isMap(v)],
  ['json', isJson],
  [
    'divisibleby',
    (v, a) => integer(v, 'is divisibleby') % integer(arg(a, 0, 'divisor'), 'is divisibleby') === 0,
  ],
]);
