/** Cron expressions of Schedule triggers: fields, seconds, nicknames, time zones and DST, formatting. */
import { describe, expect, it } from 'vitest';
import { formatZoned, parseCron, ScheduleError, zoneOffsetMinutes } from '../../src/scheduler/cron.ts';

const at = (iso: string) => Date.parse(iso);
const next = (cron: string, from: string, opts: { withSeconds?: boolean; timezone?: string } = {}) =>
  new Date(parseCron({ cron, ...opts }).next(at(from))!).toISOString();

describe('parseCron', () => {
  it('reads 5 fields in minutes, the next tick strictly after the given instant', () => {
    expect(next('*/15 * * * *', '2024-01-01T10:07:00Z')).toBe('2024-01-01T10:15:00.000Z');
    expect(next('*/15 * * * *', '2024-01-01T10:15:00Z')).toBe('2024-01-01T10:30:00.000Z');
    expect(next('0 8 * * MON-FRI', '2024-01-05T09:00:00Z')).toBe('2024-01-08T08:00:00.000Z');
    // 7 is Sunday too, as in Kestra.
    expect(next('0 0 * * 7', '2024-01-01T00:00:00Z')).toBe('2024-01-07T00:00:00.000Z');
    const c = parseCron({ cron: '0 * * * *' });
    expect(new Date(c.previous(at('2024-01-01T10:00:00Z'))!).toISOString()).toBe('2024-01-01T09:00:00.000Z');
  });

  it('reads 6 fields (seconds first) only with withSeconds', () => {
    expect(next('*/10 * * * * *', '2024-01-01T10:00:05Z', { withSeconds: true })).toBe(
      '2024-01-01T10:00:10.000Z',
    );
    expect(() => parseCron({ cron: '* * * * * *' })).toThrow(/5 fields/);
    expect(() => parseCron({ cron: '* * * * *', withSeconds: true })).toThrow(
      /6 fields \(withSeconds: true\)/,
    );
  });

  it('accepts the nicknames', () => {
    const from = '2024-01-03T10:30:00Z';
    expect(next('@hourly', from)).toBe('2024-01-03T11:00:00.000Z');
    expect(next('@daily', from)).toBe('2024-01-04T00:00:00.000Z');
    expect(next('@midnight', from)).toBe('2024-01-04T00:00:00.000Z');
    expect(next('@weekly', from)).toBe('2024-01-07T00:00:00.000Z');
    expect(next('@monthly', from)).toBe('2024-02-01T00:00:00.000Z');
    expect(next('@yearly', from)).toBe('2025-01-01T00:00:00.000Z');
    expect(next('@annually', from)).toBe('2025-01-01T00:00:00.000Z');
    // A nickname with withSeconds still means what it says.
    expect(next('@hourly', from, { withSeconds: true })).toBe('2024-01-03T11:00:00.000Z');
  });

  it('refuses a bad expression or time zone, naming the property', () => {
    expect(() => parseCron({ cron: '61 * * * *' })).toThrow(ScheduleError);
    expect(() => parseCron({ cron: '61 * * * *' })).toThrow(/^cron: '61 \* \* \* \*'/);
    expect(() => parseCron({ cron: '* * * * *', timezone: 'Mars/Olympus' })).toThrow(
      /^timezone: 'Mars\/Olympus'/,
    );
  });

  it('has no next tick for a date that never comes', () => {
    expect(parseCron({ cron: '0 0 30 2 *' }).next(at('2024-01-01T00:00:00Z'))).toBeUndefined();
  });

  it('counts in the time zone, across daylight saving time', () => {
    const paris = { timezone: 'Europe/Paris' };
    // 08:00 in Paris: 07:00Z in winter, 06:00Z in summer.
    expect(next('0 8 * * *', '2024-01-10T00:00:00Z', paris)).toBe('2024-01-10T07:00:00.000Z');
    expect(next('0 8 * * *', '2024-07-10T00:00:00Z', paris)).toBe('2024-07-10T06:00:00.000Z');
    // 02:30 does not exist on 2024-03-31 in Paris: it runs at the first valid time after the gap (03:00 CEST).
    expect(next('30 2 * * *', '2024-03-31T00:00:00Z', paris)).toBe('2024-03-31T01:00:00.000Z');
    // 02:30 exists twice on 2024-10-27 (CEST then CET): a fixed time runs once.
    const c = parseCron({ cron: '30 2 * * *', ...paris });
    const first = c.next(at('2024-10-26T12:00:00Z'))!;
    expect(new Date(first).toISOString()).toBe('2024-10-27T00:30:00.000Z');
    expect(new Date(c.next(first)!).toISOString()).toBe('2024-10-28T01:30:00.000Z');
    // An hourly schedule runs on both occurrences of the repeated hour.
    const hourly = parseCron({ cron: '0 * * * *', ...paris });
    const ticks = [hourly.next(at('2024-10-27T00:30:00Z'))!];
    for (let i = 0; i < 2; i++) ticks.push(hourly.next(ticks.at(-1)!)!);
    expect(ticks.map((t) => new Date(t).toISOString())).toEqual([
      '2024-10-27T01:00:00.000Z',
      '2024-10-27T02:00:00.000Z',
      '2024-10-27T03:00:00.000Z',
    ]);
  });
});

describe('formatZoned', () => {
  it('writes an instant as Kestra writes schedule dates: in the zone, with its offset', () => {
    expect(formatZoned(at('2024-01-01T10:00:00Z'))).toBe('2024-01-01T10:00:00Z');
    expect(formatZoned(at('2024-01-01T10:00:00Z'), 'Europe/Paris')).toBe('2024-01-01T11:00:00+01:00');
    expect(formatZoned(at('2024-07-01T10:00:00Z'), 'Europe/Paris')).toBe('2024-07-01T12:00:00+02:00');
    expect(formatZoned(at('2024-07-01T10:00:00Z'), 'America/New_York')).toBe('2024-07-01T06:00:00-04:00');
    expect(formatZoned(at('2024-07-01T10:00:00Z'), 'Asia/Kolkata')).toBe('2024-07-01T15:30:00+05:30');
    expect(formatZoned(at('2024-01-01T10:00:00.250Z'))).toBe('2024-01-01T10:00:00.250Z');
    expect(zoneOffsetMinutes(at('2024-03-31T01:00:00Z'), 'Europe/Paris')).toBe(120);
    expect(zoneOffsetMinutes(at('2024-03-31T00:59:59Z'), 'Europe/Paris')).toBe(60);
  });
});
