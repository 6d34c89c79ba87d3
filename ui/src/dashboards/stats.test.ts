import { describe, expect, it } from 'vitest';
import { withMinutesSaved } from './minutes-label.ts';
import {
  type DailyCounts,
  failureRates,
  formatDuration,
  formatMinutes,
  lastDays,
  niceMax,
  stackDays,
  statesOf,
  totals,
} from './stats.ts';

const DAYS: DailyCounts[] = [
  { startDate: '2026-11-24', executionCounts: {} },
  { startDate: '2026-11-25', executionCounts: { RUNNING: 1, SUCCESS: 3, FAILED: 1 } },
  { startDate: '2026-11-26', executionCounts: { WARNING: 2, KILLED: 0 } },
];

describe('dashboard stats shaping', () => {
  it('lists the states present, outcomes first', () => {
    expect(statesOf(DAYS)).toEqual(['SUCCESS', 'WARNING', 'FAILED', 'RUNNING']);
  });

  it('stacks each day in state order, leaving out empty segments', () => {
    const [empty, full, warn] = stackDays(DAYS, statesOf(DAYS));
    expect(empty).toEqual({ day: '2026-11-24', total: 0, segments: [] });
    expect(full!.segments).toEqual([
      { state: 'SUCCESS', from: 0, to: 3 },
      { state: 'FAILED', from: 3, to: 4 },
      { state: 'RUNNING', from: 4, to: 5 },
    ]);
    expect(full!.total).toBe(5);
    expect(warn!.segments).toEqual([{ state: 'WARNING', from: 0, to: 2 }]);
  });

  it('gives the failure rate over finished runs, none on a day without one', () => {
    expect(failureRates(DAYS).map((p) => p.rate)).toEqual([undefined, 0.25, 0]);
  });

  it('sums runs, failures and time saved over flows', () => {
    const flow = { namespace: 'a', flowId: 'f', successes: 0, failureRate: 0 };
    expect(
      totals([
        { ...flow, total: 4, failures: 1, minutesSaved: 30 },
        { ...flow, total: 6, failures: 0, minutesSaved: 12.5 },
      ]),
    ).toEqual({ runs: 10, failures: 1, failureRate: 0.1, minutesSaved: 42.5 });
    expect(totals([])).toEqual({ runs: 0, failures: 0, failureRate: 0, minutesSaved: 0 });
  });

  it('rounds axes and formats durations and minutes', () => {
    expect([0, 1, 3, 7, 12, 260].map(niceMax)).toEqual([1, 1, 5, 10, 20, 500]);
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(7_800_000)).toBe('2 h 10 min');
    expect(formatMinutes(22.5)).toBe('22.5 min');
    expect(formatMinutes(210)).toBe('3.5 h');
    expect(formatMinutes(4320)).toBe('3 days');
  });

  it('starts the range at midnight UTC of the first day', () => {
    const now = Date.parse('2026-11-26T15:00:00Z');
    expect(lastDays(7, now)).toEqual({
      startDate: '2026-11-20T00:00:00.000Z',
      endDate: '2026-11-26T15:00:00.000Z',
    });
  });
});

describe('minutes saved label in the YAML', () => {
  const base = '# my flow\nid: f\nnamespace: a\ntasks: []\n';

  it('adds labels when the flow has none, keeping comments', () => {
    const out = withMinutesSaved(base, 15);
    expect(out).toContain('# my flow');
    expect(out).toContain('labels:\n  baton.io/minutes-saved: "15"');
  });

  it('changes or removes it in a map of labels, leaving the others', () => {
    const src = 'id: f\nnamespace: a\nlabels:\n  team: data\n  baton.io/minutes-saved: "5"\ntasks: []\n';
    expect(withMinutesSaved(src, 7.5)).toContain('team: data\n  baton.io/minutes-saved: "7.5"');
    const removed = withMinutesSaved(src, undefined);
    expect(removed).not.toContain('minutes-saved');
    expect(removed).toContain('team: data');
  });

  it('changes it in a list of key/value labels', () => {
    const src = 'id: f\nnamespace: a\nlabels:\n  - key: team\n    value: data\ntasks: []\n';
    const added = withMinutesSaved(src, 3);
    expect(added).toContain('- key: baton.io/minutes-saved\n    value: "3"');
    expect(withMinutesSaved(added, 4)).toContain('value: "4"');
  });
});
