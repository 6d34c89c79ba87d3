import { describe, expect, it } from 'vitest';
import { ClaimLag } from '../../src/util/claim-lag.ts';

describe('ClaimLag', () => {
  it('reports the largest wait of the recent claims, and forgets them after two quiet windows', () => {
    const lag = new ClaimLag(1000);
    expect(lag.lagMs(10_000)).toBe(0);
    lag.observe([{ availableAt: 9_990 }, { availableAt: 9_700 }], 10_000);
    expect(lag.lagMs(10_100)).toBe(300);
    // Next window: the previous one still counts.
    lag.observe([{ availableAt: 11_095 }], 11_100);
    expect(lag.lagMs(11_200)).toBe(300);
    // Two windows later only the newer claim counts; after a quiet stretch nothing does.
    expect(lag.lagMs(12_150)).toBe(5);
    expect(lag.lagMs(15_000)).toBe(0);
  });
  it('never reports a negative wait (a message claimed before its time on a skewed clock)', () => {
    const lag = new ClaimLag(1000);
    lag.observe([{ availableAt: 2_000 }], 1_000);
    expect(lag.lagMs(1_000)).toBe(0);
  });
});
