import { expect, it } from 'vitest';
import { Backoff } from '../../src/util/backoff.ts';

it('doubles the wait up to the cap, counts the attempts and starts again after a reset', () => {
  const b = new Backoff(250, 5_000);
  expect([1, 2, 3, 4, 5, 6, 7].map(() => b.next())).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);
  expect(b.attempts).toBe(7);
  b.reset();
  expect(b.attempts).toBe(0);
  expect(b.next()).toBe(250);
});
