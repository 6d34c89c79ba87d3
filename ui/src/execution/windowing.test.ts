import { describe, expect, it } from 'vitest';
import { windowOf } from './windowing.ts';

describe('windowOf', () => {
  it('renders the rows in view plus the overscan, with spacers for the rest', () => {
    const w = windowOf({ count: 10_000, rowHeight: 20, scrollTop: 2_000, viewportHeight: 400, overscan: 5 });
    // Rows 100..120 are in view; 5 more either side.
    expect(w).toEqual({ start: 95, end: 126, before: 95 * 20, after: (10_000 - 126) * 20 });
    expect(w.before + (w.end - w.start) * 20 + w.after).toBe(10_000 * 20);
  });

  it('stays inside the list at both ends and for short lists', () => {
    expect(
      windowOf({ count: 10_000, rowHeight: 20, scrollTop: 0, viewportHeight: 400, overscan: 5 }),
    ).toMatchObject({
      start: 0,
      before: 0,
    });
    const end = windowOf({ count: 10_000, rowHeight: 20, scrollTop: 10_000 * 20, viewportHeight: 400 });
    expect(end.end).toBe(10_000);
    expect(end.after).toBe(0);
    expect(windowOf({ count: 3, rowHeight: 20, scrollTop: 0, viewportHeight: 400 })).toEqual({
      start: 0,
      end: 3,
      before: 0,
      after: 0,
    });
    expect(windowOf({ count: 0, rowHeight: 20, scrollTop: 50, viewportHeight: 400 })).toMatchObject({
      start: 0,
      end: 0,
    });
  });
});
