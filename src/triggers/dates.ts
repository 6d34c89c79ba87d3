/**
 * Date helpers for trigger conditions: ISO date-times with their own offset (Kestra reads them as
 * `ZonedDateTime` and compares days and times in that offset), times of day, ISO-8601 durations.
 * Pure. A date-time written without an offset is read as UTC, Baton's server time zone.
 */
import { parseDuration } from '../tasks/duration.ts';

/** A parsed date-time: the instant, and the offset it was written with (minutes east of UTC). */
export interface ZonedInstant {
  epochMs: number;
  offsetMinutes: number;
}

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?))?\s*(Z|[+-]\d{2}(?::?\d{2})?)?(?:\[[^\]]+\])?$/i;

const offsetOf = (text: string | undefined): number => {
  if (!text || text.toUpperCase() === 'Z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
};

/** Parses `2024-01-31T10:00:00+02:00` (date only, `Z`, offset and `[Zone]` suffix accepted). */
export const parseZoned = (value: unknown): ZonedInstant => {
  if (value instanceof Date) return { epochMs: value.getTime(), offsetMinutes: 0 };
  if (typeof value === 'number') return { epochMs: value, offsetMinutes: 0 };
  const text = String(value).trim();
  const m = DATE_TIME.exec(text);
  if (!m) throw new Error(`'${text}' is not an ISO-8601 date-time such as 2024-01-31T10:00:00Z`);
  const [, day, time, zone] = m;
  const offsetMinutes = offsetOf(zone);
  const [hms = '00:00:00', frac] = (time ?? '00:00:00').split('.');
  const local = Date.parse(`${day}T${hms.length === 5 ? `${hms}:00` : hms}Z`);
  if (Number.isNaN(local)) throw new Error(`'${text}' is not a valid date-time`);
  const fraction = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  return { epochMs: local + fraction - offsetMinutes * 60_000, offsetMinutes };
};

/** Calendar fields of an instant as seen in its own offset. */
export const localFields = (z: ZonedInstant): { date: Date; dayOfWeek: number; secondOfDay: number } => {
  const date = new Date(z.epochMs + z.offsetMinutes * 60_000);
  return {
    date,
    // ISO numbering as Java's DayOfWeek: Monday = 1 ... Sunday = 7.
    dayOfWeek: date.getUTCDay() === 0 ? 7 : date.getUTCDay(),
    secondOfDay: date.getUTCHours() * 3600 + date.getUTCMinutes() * 60 + date.getUTCSeconds(),
  };
};

export const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

/** ISO day-of-week number (1 = Monday) of a day name; throws on an unknown name. */
export const dayNumber = (name: unknown): number => {
  const i = DAYS.indexOf(String(name).toUpperCase());
  if (i < 0) throw new Error(`'${String(name)}' is not a day of the week (MONDAY ... SUNDAY)`);
  return i + 1;
};

/** A time of day, `HH:mm[:ss[.fff]]` with an optional offset, as milliseconds from midnight UTC. */
export const parseTimeOfDay = (value: unknown): number => {
  const text = String(value).trim();
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(text);
  if (!m) throw new Error(`'${text}' is not a time of day such as 09:00:00`);
  const [, h, min, s, frac, zone] = m;
  const ms = (Number(h) * 3600 + Number(min) * 60 + Number(s ?? 0)) * 1000 + Number(`0.${frac ?? 0}`) * 1000;
  return ms - offsetOf(zone) * 60_000;
};

/** Milliseconds of an ISO-8601 duration (`P1D`, `PT15M`); throws with the accepted form. */
export const durationMs = (value: unknown, what: string): number => parseDuration(String(value), what);

export const DAY_MS = 86_400_000;

/** Start of the UTC day of `epochMs`. */
export const startOfDay = (epochMs: number): number => Math.floor(epochMs / DAY_MS) * DAY_MS;
