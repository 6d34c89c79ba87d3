/**
 * Calendar functions of Kestra 1.x: dayOfWeek, dayOfMonth, monthOfYear, hourOfDay, isWeekend,
 * isDayWeekInMonth, isLastWorkingDay, isDateBetween. Like Kestra, they read the local date (and time)
 * as written in the ISO string, without converting to UTC; isDateBetween compares instants.
 */
import {
  DayOfWeek,
  type Instant,
  LocalDate,
  LocalDateTime,
  type LocalTime,
  TemporalAdjusters,
  ZonedDateTime,
} from '@js-joda/core';
import { arg, type CallArgs, type FunctionFn } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { toStr } from '../values.ts';

function required(a: CallArgs, i: number, name: string, fn: string): string {
  const v = arg(a, i, name);
  if (v === undefined || v === null) throw new ExpressionError(`${fn}(): expects a '${name}' argument`);
  return toStr(v);
}

function attempt<T>(...parsers: (() => T)[]): T | undefined {
  for (const p of parsers) {
    try {
      return p();
    } catch {
      // next format
    }
  }
  return undefined;
}

function localDate(a: CallArgs, fn: string): LocalDate {
  const s = required(a, 0, 'date', fn);
  const d = attempt(
    () => ZonedDateTime.parse(s).toLocalDate(),
    () => LocalDateTime.parse(s).toLocalDate(),
    () => LocalDate.parse(s),
  );
  if (!d) throw new ExpressionError(`${fn}(): cannot read the date \`${s}\`; use an ISO date or date-time`);
  return d;
}

function localTime(a: CallArgs, fn: string): LocalTime {
  const s = required(a, 0, 'date', fn);
  const t = attempt(
    () => ZonedDateTime.parse(s).toLocalTime(),
    () => LocalDateTime.parse(s).toLocalTime(),
  );
  if (!t) throw new ExpressionError(`${fn}(): cannot read the date-time \`${s}\`; use an ISO date-time`);
  return t;
}

function dayOfWeek(v: string, fn: string): DayOfWeek {
  try {
    return DayOfWeek.valueOf(v.trim().toUpperCase());
  } catch {
    throw new ExpressionError(`${fn}(): invalid day \`${v}\`; use MONDAY, TUESDAY... SUNDAY`);
  }
}

function isDayWeekInMonth(a: CallArgs): boolean {
  const fn = 'isDayWeekInMonth';
  const d = localDate(a, fn);
  const day = dayOfWeek(required(a, 1, 'dayOfWeek', fn), fn);
  const first = d.with(TemporalAdjusters.firstInMonth(day));
  const position = required(a, 2, 'position', fn).toUpperCase();
  const weeks = ['FIRST', 'SECOND', 'THIRD', 'FOURTH'].indexOf(position);
  let target: LocalDate;
  if (weeks >= 0) target = first.plusWeeks(weeks);
  else if (position === 'LAST') target = d.with(TemporalAdjusters.lastInMonth(day));
  else
    throw new ExpressionError(
      `${fn}(): invalid position \`${position}\`; use FIRST, SECOND, THIRD, FOURTH or LAST`,
    );
  return target.isEqual(d);
}

const WEEK_DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'];

function isLastWorkingDay(a: CallArgs): boolean {
  const fn = 'isLastWorkingDay';
  const d = localDate(a, fn);
  const given = arg(a, 1, 'workingDays');
  const names =
    given === undefined || given === null || toStr(given).trim() === ''
      ? WEEK_DAYS
      : toStr(given)
          .split(/[,\s]+/)
          .filter((x) => x !== '');
  const working = new Set(names.map((n) => dayOfWeek(n, fn).value()));
  if (!working.has(d.dayOfWeek().value())) return false;
  let candidate = d.with(TemporalAdjusters.lastDayOfMonth());
  while (!working.has(candidate.dayOfWeek().value())) candidate = candidate.minusDays(1);
  return candidate.isEqual(d);
}

function instant(a: CallArgs, i: number, name: string): Instant {
  const s = required(a, i, name, 'isDateBetween');
  try {
    return ZonedDateTime.parse(s).toInstant();
  } catch {
    throw new ExpressionError(
      `isDateBetween(): cannot read '${name}' \`${s}\`; give an ISO date-time with an offset (Z or +02:00)`,
    );
  }
}

export const CALENDAR_FUNCTIONS: Record<string, FunctionFn> = {
  dayOfWeek: (a) => localDate(a, 'dayOfWeek').dayOfWeek().name(),
  dayOfMonth: (a) => localDate(a, 'dayOfMonth').dayOfMonth(),
  monthOfYear: (a) => localDate(a, 'monthOfYear').monthValue(),
  hourOfDay: (a) => localTime(a, 'hourOfDay').hour(),
  isWeekend: (a) => localDate(a, 'isWeekend').dayOfWeek().value() >= 6,
  isDayWeekInMonth,
  isLastWorkingDay,
  isDateBetween: (a) => {
    const d = instant(a, 0, 'date');
    return d.isAfter(instant(a, 1, 'after')) && d.isBefore(instant(a, 2, 'before'));
  },
};
