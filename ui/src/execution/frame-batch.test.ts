import { describe, expect, it } from 'vitest';
import { type FrameScheduler, frameBatcher } from './frame-batch.ts';

/** Frames run when the test says. */
const manualFrames = () => {
  const pending = new Map<number, () => void>();
  let next = 1;
  const scheduler: FrameScheduler = {
    request: (run) => {
      pending.set(next, run);
      return next++;
    },
    cancel: (h) => pending.delete(h),
  };
  const frame = () => {
    const runs = [...pending.values()];
    pending.clear();
    for (const run of runs) run();
  };
  return { scheduler, frame, pending };
};

describe('frameBatcher', () => {
  it('hands the events of one frame over together, one delivery per frame', () => {
    const { scheduler, frame, pending } = manualFrames();
    const deliveries: number[][] = [];
    const batch = frameBatcher<number>((items) => deliveries.push(items), scheduler);
    for (let i = 0; i < 1000; i++) batch.push(i);
    expect(pending.size).toBe(1);
    expect(deliveries).toEqual([]);
    frame();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toHaveLength(1000);
    batch.push(1000);
    batch.push(1001);
    frame();
    expect(deliveries).toEqual([expect.any(Array), [1000, 1001]]);
    frame();
    expect(deliveries).toHaveLength(2);
  });

  it('flushes at once when the stream ends, and drops what waits when cancelled', () => {
    const { scheduler, frame, pending } = manualFrames();
    const deliveries: string[][] = [];
    const batch = frameBatcher<string>((items) => deliveries.push(items), scheduler);
    batch.push('a');
    batch.flush();
    expect(deliveries).toEqual([['a']]);
    expect(pending.size).toBe(0);
    batch.push('b');
    batch.cancel();
    frame();
    expect(deliveries).toEqual([['a']]);
  });
});
