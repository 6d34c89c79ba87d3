/** Date filters and helpers (Java DateTimeFormatter patterns through @js-joda). Dates are ISO strings. */

import { createRequire } from 'node:module';
import {
  ChronoUnit,
  DateTimeFormatter,
  Instant,
  LocalDate,
  LocalDateTime,
  ZonedDateTime,
  ZoneId,
} from '@js-joda/core';
import { arg, type CallArgs, type FilterFn, requiredArg } from '../env.ts';
import { ExpressionError } from '../errors.ts';
import { toInt, toStr, typeName } from '../values.ts';

const NAMED: Record<string, string> = {
  iso: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX",
  iso_milli: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  iso_sec: "yyyy-MM-dd'T'HH:mm:ssXXX",
  sql: 'yyyy-MM-dd HH:mm:ss.SSSSSS',
  sql_milli: 'yyyy-MM-dd HH:mm:ss.SSS',
  sql_seconds: 'yyyy-MM-dd HH:mm:ss',
  iso_date: 'yyyy-MM-dd',
  iso_local_date: 'yyyy-MM-dd',
  iso_local_time: 'HH:mm:ss',
  iso_local_date_time: "yyyy-MM-dd'T'HH:mm:ss",
  iso_offset_date_time: "yyyy-MM-dd'T'HH:mm:ssXXX",
};
export const DEFAULT_FORMAT = NAMED.iso!;

const MONTHS = 'January February March April May June July August September October November December'.split(
  ' ',
);
const DAYS = 'Monday Tuesday Wednesday Thursday Friday Saturday Sunday'.split(' ');

/** js-joda core has no locale data: English month/day names and AM/PM become quoted literals. */
function withTextFields(pattern: string, d: ZonedDateTime): string {
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const stop = end < 0 ? pattern.length : end + 1;
      out += pattern.slice(i, stop);
      i = stop;
      continue;
    }
    let j = i;
    while (pattern[j] === c) j++;
    const n = j - i;
    let text: string | null = null;
    if ((c === 'M' || c === 'L') && n >= 3) text = MONTHS[d.monthValue() - 1]!;
    else if (c === 'E') text = DAYS[d.dayOfWeek().value() - 1]!;
    else if (c === 'a') text = d.hour() < 12 ? 'AM' : 'PM';
    if (text !== null && n === 3 && c !== 'a') text = text.slice(0, 3);
    out += text === null ? pattern.slice(i, j) : `'${text}'`;
    i = j;
  }
  return out;
}

/**
 * The IANA time-zone database (about 1 MB) is loaded on the first named zone, not at start-up: most
 * flows never name one, and `baton run` must start fast.
 */
let zonesLoaded = false;
const loadZones = (): void => {
  if (zonesLoaded) return;
  createRequire(import.meta.url)('@js-joda/timezone');
  zonesLoaded = true;
};

export function zone(a: CallArgs, i = 1): ZoneId {
  const tz = arg(a, i, 'timeZone');
  if (tz === undefined || tz === null) return ZoneId.UTC;
  if (!/^(Z|UTC|GMT|[+-]\d)/.test(toStr(tz))) loadZones();
  try {
    return ZoneId.of(toStr(tz));
  } catch {
    throw new ExpressionError(`Unknown time zone \`${toStr(tz)}\``);
  }
}

/** Reads a date: ISO string (zoned, offset, local date-time or date), epoch seconds, or `existingFormat`. */
export function toZoned(v: unknown, tz: ZoneId, existingFormat?: unknown): ZonedDateTime {
  if (typeof v === 'number') {
    // Epoch seconds, or milliseconds when too large to be seconds (past year 5138).
    const inst =
      Math.abs(v) > 1e11 ? Instant.ofEpochMilli(Math.trunc(v)) : Instant.ofEpochSecond(Math.trunc(v));
    return ZonedDateTime.ofInstant(inst, tz);
  }
  if (typeof v !== 'string') throw new ExpressionError(`Cannot read a date from ${typeName(v)}`);
  const s = v.trim();
  try {
    if (existingFormat !== undefined && existingFormat !== null) {
      const f = DateTimeFormatter.ofPattern(NAMED[toStr(existingFormat)] ?? toStr(existingFormat));
      try {
        return ZonedDateTime.parse(s, f);
      } catch {
        try {
          return LocalDateTime.parse(s, f).atZone(tz);
        } catch {
          return LocalDate.parse(s, f).atStartOfDay(tz);
        }
      }
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return LocalDate.parse(s).atStartOfDay(tz);
    if (/[zZ]$|[+-]\d{2}:?\d{2}(\[.*\])?$|\]$/.test(s))
      return ZonedDateTime.parse(s.replace(' ', 'T')).withZoneSameInstant(tz);
    return LocalDateTime.parse(s.replace(' ', 'T')).atZone(tz);
  } catch {
    throw new ExpressionError(
      `Cannot read \`${s}\` as a date${existingFormat ? ` with format \`${toStr(existingFormat)}\`` : ''}`,
    );
  }
}

export function formatDate(d: ZonedDateTime, format: unknown): string {
  const pattern =
    format === undefined || format === null ? DEFAULT_FORMAT : (NAMED[toStr(format)] ?? toStr(format));
  try {
    return d.format(DateTimeFormatter.ofPattern(withTextFields(pattern, d)));
  } catch (err) {
    throw new ExpressionError(`Invalid date format \`${pattern}\`: ${(err as Error).message}`);
  }
}

const instantOf = (v: unknown, a: CallArgs): Instant =>
  toZoned(v, ZoneId.UTC, arg(a, 1, 'existingFormat')).toInstant();

export const DATE_FILTERS: Record<string, FilterFn> = {
  date: (v, a) => {
    if (v === null || v === undefined) return null;
    return formatDate(toZoned(v, zone(a), a.named.get('existingFormat')), arg(a, 0, 'format'));
  },
  dateAdd: (v, a) => {
    const amount = toInt(requiredArg(a, 0, 'amount', 'dateAdd'), 'dateAdd');
    const unitName = toStr(requiredArg(a, 1, 'unit', 'dateAdd')).toUpperCase();
    const unit = (ChronoUnit as unknown as Record<string, ChronoUnit | undefined>)[unitName];
    if (!unit || !(unit instanceof ChronoUnit))
      throw new ExpressionError(`dateAdd: unknown unit \`${unitName}\``);
    const d = toZoned(v, zone(a, 3), a.named.get('existingFormat'));
    return formatDate(d.plus(amount, unit), arg(a, 2, 'format'));
  },
  timestamp: (v, a) => instantOf(v, a).epochSecond(),
  timestampMilli: (v, a) => instantOf(v, a).toEpochMilli(),
  timestampMicro: (v, a) => {
    const i = instantOf(v, a);
    return i.epochSecond() * 1_000_000 + Math.trunc(i.nano() / 1000);
  },
  // Nanoseconds since 1970 pass 2^53 in 1970-04: a double would round them. Kestra returns the exact
  // digits as a string (its filter renders a long with String.valueOf), so does this one.
  timestampNano: (v, a) => {
    if (v === null || v === undefined) return null;
    const i = instantOf(v, a);
    return (BigInt(i.epochSecond()) * 1_000_000_000n + BigInt(i.nano())).toString();
  },
};
