/**
 * Decisions of Schedule and ScheduleOnDates triggers (pure): missed ticks per recoverMissedSchedules,
 * late ticks, schedule conditions (in the trigger's zone) and the `next`/`previous` they shape,
 * backfills, lists of dates.
 */
import { describe, expect, it } from 'vitest';
import type { Flow, Trigger } from '../../src/flow/types.ts';
import { ScheduleError } from '../../src/scheduler/cron.ts';
import {
  decideBackfill,
  decideTick,
  initialNextDate,
  recoverMissed,
  type ScheduleSpec,
} from '../../src/scheduler/schedule.ts';
import { conditionTest, parseDates, readSchedule } from '../../src/scheduler/spec.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const flow: Flow = { id: 'f', namespace: 'n', revision: 1, tasks: [] } as unknown as Flow;
const schedule = (props: Record<string, unknown>): Trigger => ({
  id: 't',
  type: 'io.kestra.plugin.core.trigger.Schedule',
  ...props,
});
const specOf = (trigger: Trigger) => readSchedule(flow, trigger);
const always = () => true;

describe('missed ticks (recoverMissedSchedules)', () => {
  const hourly = (policy?: string) => specOf(schedule({ cron: '0 * * * *', recoverMissedSchedules: policy }));
  const stored = at('2024-01-01T10:00:00Z');
  const now = at('2024-01-01T13:30:00Z');

  it('ALL (the default) keeps the first missed tick: each fires in turn', () => {
    expect(iso(recoverMissed(hourly(), stored, now))).toBe('2024-01-01T10:00:00.000Z');
    expect(iso(recoverMissed(hourly('ALL'), stored, now))).toBe('2024-01-01T10:00:00.000Z');
  });
  it('LAST keeps only the last missed tick', () => {
    expect(iso(recoverMissed(hourly('LAST'), stored, now))).toBe('2024-01-01T13:00:00.000Z');
  });
  it('NONE goes on from the next tick after now', () => {
    expect(iso(recoverMissed(hourly('NONE'), stored, now))).toBe('2024-01-01T14:00:00.000Z');
  });
  it('changes nothing when nothing was missed', () => {
    const future = at('2024-01-01T14:00:00Z');
    for (const p of ['ALL', 'LAST', 'NONE']) expect(recoverMissed(hourly(p), future, now)).toBe(future);
  });
  it('a new trigger starts from the first tick after now', () => {
    expect(iso(initialNextDate(hourly(), now))).toBe('2024-01-01T14:00:00.000Z');
  });
});

describe('a due tick', () => {
  it('fires once, with its date and neighbours in the trigger zone, and moves on to the next tick', () => {
    const spec = specOf(schedule({ cron: '0 8 * * *', timezone: 'Europe/Paris' }));
    const d = decideTick(spec, at('2024-01-10T07:00:00Z'), at('2024-01-10T07:00:00.300Z'), always);
    expect(d.fire?.variables).toEqual({
      date: '2024-01-10T08:00:00+01:00',
      next: '2024-01-11T08:00:00+01:00',
      previous: '2024-01-09T08:00:00+01:00',
    });
    expect(iso(d.nextDate)).toBe('2024-01-11T07:00:00.000Z');
  });

  it('waits for a tick still ahead', () => {
    const spec = specOf(schedule({ cron: '0 8 * * *' }));
    const d = decideTick(spec, at('2024-01-10T08:00:00Z'), at('2024-01-10T07:59:59Z'), always);
    expect(d).toEqual({ nextDate: at('2024-01-10T08:00:00Z'), skipped: [] });
  });

  it('skips the ticks later than lateMaximumDelay, firing the first one still in time', () => {
    const spec = specOf(schedule({ cron: '*/10 * * * *', lateMaximumDelay: 'PT15M' }));
    const d = decideTick(spec, at('2024-01-01T10:00:00Z'), at('2024-01-01T10:31:00Z'), always);
    expect(d.skipped.map((s) => [iso(s.date), s.reason])).toEqual([
      ['2024-01-01T10:00:00.000Z', 'late'],
      ['2024-01-01T10:10:00.000Z', 'late'],
    ]);
    expect(iso(d.fire?.date)).toBe('2024-01-01T10:20:00.000Z');
    // Without the delay, the oldest missed tick fires first.
    const plain = specOf(schedule({ cron: '*/10 * * * *' }));
    expect(
      iso(decideTick(plain, at('2024-01-01T10:00:00Z'), at('2024-01-01T10:31:00Z'), always).fire?.date),
    ).toBe('2024-01-01T10:00:00.000Z');
  });
});

describe('schedule conditions', () => {
  const firstMondays = schedule({
    cron: '0 11 * * *',
    timezone: 'America/New_York',
    conditions: [
      {
        type: 'io.kestra.plugin.core.condition.DayWeekInMonth',
        dayOfWeek: 'MONDAY',
        dayInMonth: 'FIRST',
      },
      // Not a schedule condition: ignored on a Schedule, as in Kestra.
      { type: 'io.kestra.plugin.core.condition.ExecutionStatus', in: ['FAILED'] },
    ],
  });

  it('skip the ticks where they do not hold; next and previous name ticks where they hold', () => {
    const spec = specOf(firstMondays);
    const warnings: string[] = [];
    const holds = conditionTest(flow, firstMondays, (w) => warnings.push(w));
    // 2024-02-05 is the first Monday of February; 11:00 in New York is 16:00Z.
    const d = decideTick(spec, at('2024-02-03T16:00:00Z'), at('2024-02-05T16:00:01Z'), holds);
    expect(d.skipped.map((s) => s.reason)).toEqual(['conditions', 'conditions']);
    expect(d.fire?.variables).toEqual({
      date: '2024-02-05T11:00:00-05:00',
      next: '2024-03-04T11:00:00-05:00',
      previous: '2024-01-01T11:00:00-05:00',
    });
    expect(warnings).toEqual([]);
  });

  it('count days in the trigger zone, not in UTC', () => {
    // 2024-01-06T23:30 in New York is a Saturday; it is already Sunday in UTC.
    const weekend = schedule({
      cron: '30 23 * * *',
      timezone: 'America/New_York',
      conditions: [{ type: 'io.kestra.plugin.core.condition.DayWeek', dayOfWeek: 'SATURDAY' }],
    });
    const holds = conditionTest(flow, weekend, () => undefined);
    const spec = specOf(weekend);
    const d = decideTick(spec, at('2024-01-07T04:30:00Z'), at('2024-01-07T04:30:00Z'), holds);
    expect(d.fire?.variables.date).toBe('2024-01-06T23:30:00-05:00');
  });

  it('read dates given as expressions of the trigger variables; Not inverts; errors count as false', () => {
    const notWeekend = schedule({
      cron: '0 12 * * *',
      conditions: [
        {
          type: 'io.kestra.plugin.core.condition.Not',
          conditions: [{ type: 'io.kestra.plugin.core.condition.Weekend', date: '{{ trigger.date }}' }],
        },
      ],
    });
    const holds = conditionTest(flow, notWeekend, () => undefined);
    const vars = (date: string) => ({ date });
    expect(holds(at('2024-01-06T12:00:00Z'), vars('2024-01-06T12:00:00Z'))).toBe(false);
    expect(holds(at('2024-01-08T12:00:00Z'), vars('2024-01-08T12:00:00Z'))).toBe(true);
    const warnings: string[] = [];
    const broken = schedule({
      cron: '0 12 * * *',
      conditions: [{ type: 'io.kestra.plugin.core.condition.DayWeek', dayOfWeek: 'FUNDAY' }],
    });
    expect(conditionTest(flow, broken, (w) => warnings.push(w))(0, vars('2024-01-08T12:00:00Z'))).toBe(false);
    expect(warnings[0]).toMatch(/FUNDAY/);
  });
});

describe('a backfill', () => {
  const spec: ScheduleSpec = specOf(schedule({ cron: '0 0 * * *' }));
  const backfill = {
    start: '2024-01-01T00:00:00.000Z',
    end: '2024-01-03T12:00:00.000Z',
    currentDate: '2024-01-01T00:00:00.000Z',
    paused: false,
    inputs: { n: 1 },
  };
  const now = at('2024-06-01T00:00:00Z');

  it('fires each tick from start to end included, one per decision, then ends', () => {
    const fired: string[] = [];
    let state: typeof backfill | undefined = backfill;
    for (let i = 0; i < 10 && state; i++) {
      const d = decideBackfill(spec, state, now, always);
      if (d.fire) {
        fired.push(d.fire.variables.date);
        expect(d.fire.backfill).toEqual({ inputs: { n: 1 }, labels: undefined });
      }
      state = d.backfill as typeof backfill | undefined;
    }
    expect(fired).toEqual(['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z', '2024-01-03T00:00:00Z']);
    expect(state).toBeUndefined();
  });

  it('does nothing while paused, and never fires a tick after now', () => {
    expect(decideBackfill(spec, { ...backfill, paused: true }, now, always)).toEqual({
      backfill: { ...backfill, paused: true },
      skipped: [],
    });
    const d = decideBackfill(spec, backfill, at('2023-12-31T00:00:00Z'), always);
    expect(d).toEqual({ backfill: undefined, skipped: [] });
  });
});

describe('ScheduleOnDates', () => {
  it('fires at each date of its list, dates without an offset being in its zone', () => {
    const trigger: Trigger = {
      id: 'd',
      type: 'io.kestra.plugin.core.trigger.ScheduleOnDates',
      timezone: 'Europe/Paris',
      dates: ['2030-01-15T09:00:00', '2030-02-15T09:00:00Z', '2030-07-01T09:00:00'],
    };
    const spec = specOf(trigger);
    expect(iso(initialNextDate(spec, at('2029-01-01T00:00:00Z')))).toBe('2030-01-15T08:00:00.000Z');
    expect(iso(spec.clock.next(at('2030-01-15T08:00:00Z')))).toBe('2030-02-15T09:00:00.000Z');
    expect(iso(spec.clock.next(at('2030-02-15T09:00:00Z')))).toBe('2030-07-01T07:00:00.000Z');
    expect(spec.clock.next(at('2030-07-01T07:00:00Z'))).toBeUndefined();
    const d = decideTick(spec, at('2030-02-15T09:00:00Z'), at('2030-02-15T09:00:00Z'), always);
    expect(d.fire?.variables).toEqual({
      date: '2030-02-15T10:00:00+01:00',
      next: '2030-07-01T09:00:00+02:00',
      previous: '2030-01-15T09:00:00+01:00',
    });
  });

  it('renders an expression giving the list', () => {
    const withVars = { ...flow, variables: { days: ['2030-01-01T00:00:00Z'] } } as unknown as Flow;
    const trigger: Trigger = {
      id: 'd',
      type: 'io.kestra.plugin.core.trigger.ScheduleOnDates',
      dates: '{{ vars.days | json }}',
    };
    expect(iso(readSchedule(withVars, trigger).clock.next(0))).toBe('2030-01-01T00:00:00.000Z');
    expect(() => parseDates(['tomorrow'], 'UTC')).toThrow(/^dates\[0\]: 'tomorrow'/);
  });
});

describe('reading a trigger', () => {
  it('refuses bad properties, naming them', () => {
    expect(() => specOf(schedule({ cron: '* * * * *', recoverMissedSchedules: 'SOME' }))).toThrow(
      /^recoverMissedSchedules: 'SOME' is not ALL, LAST or NONE/,
    );
    expect(() => specOf(schedule({ cron: '* * * * *', lateMaximumDelay: 'soon' }))).toThrow(
      /^lateMaximumDelay/,
    );
    expect(() => specOf(schedule({ cron: '* * * * *', timezone: 'Nowhere' }))).toThrow(ScheduleError);
  });
});
