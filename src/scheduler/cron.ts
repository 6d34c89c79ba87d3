/**
 * Cron expressions of Schedule triggers, on croner: 5 fields (minutes), or 6 with `withSeconds` (a
 * first seconds field), the nicknames `@yearly` `@annually` `@monthly` `@weekly` `@daily` `@midnight`
 * `@hourly`, in an IANA time zone (UTC by default, Baton's server zone). Day of month and day of week
 * both given match either (Vixie cron). Pure.
 *
 * Daylight saving time, as croner does it: a time that does not exist (02:30 on a spring-forward night)
 * runs at the first valid time after the gap; a fixed time that occurs twice (autumn) runs once; an
 * interval schedule (`0 * * * *`) runs on both occurrences of the repeated hour.
 */
import { Cron } from 'croner';
import { BatonError } from '../errors.ts';

export interface CronSpec {
  cron: string;
  withSeconds?: boolean;
  timezone?: string;
}

/** A cron expression or time zone that cannot be used; the message names the property. */
export class ScheduleError extends BatonError {
  constructor(message: string) {
    super('INVALID_FLOW', message);
  }
}

export interface CronClock {
  /** The first tick strictly after `afterMs`; undefined when there is none (`0 0 30 2 *`). */
  next(afterMs: number): number | undefined;
  /** The last tick strictly before `beforeMs`. */
  previous(beforeMs: number): number | undefined;
}

/** Checks an IANA time zone name; throws ScheduleError naming `what`. */
export const checkTimezone = (timezone: string, what = 'timezone'): void => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new ScheduleError(`${what}: '${timezone}' is not an IANA time zone such as Europe/Paris`);
  }
};

export const parseCron = (spec: CronSpec): CronClock => {
  const pattern = spec.cron.trim();
  if (spec.timezone !== undefined) checkTimezone(spec.timezone);
  let cron: Cron;
  try {
    cron = new Cron(pattern, {
      paused: true,
      timezone: spec.timezone ?? 'UTC',
      // Nicknames carry no seconds field; a 6-field expression needs `withSeconds`, as in Kestra.
      mode: spec.withSeconds === true && !pattern.startsWith('@') ? '6-part' : '5-part',
    });
  } catch (error) {
    const fields = spec.withSeconds === true ? '6 fields (withSeconds: true)' : '5 fields';
    throw new ScheduleError(
      `cron: '${pattern}' is not a valid cron expression of ${fields}: ${(error as Error).message}`,
    );
  }
  return {
    next: (afterMs) => cron.nextRun(new Date(afterMs))?.getTime(),
    previous: (beforeMs) => cron.previousRuns(1, new Date(beforeMs))[0]?.getTime(),
  };
};

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `timezone` at instant `ms`. */
export const zoneOffsetMinutes = (ms: number, timezone: string): number => {
  let f = offsetFormatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    offsetFormatters.set(timezone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const local = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
};

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/**
 * An instant as Kestra writes a schedule date: ISO-8601 in the trigger's zone, with its offset
 * (`2024-03-31T03:00:00+02:00`), `Z` for UTC; milliseconds only when there are some.
 */
export const formatZoned = (ms: number, timezone = 'UTC'): string => {
  const offset = zoneOffsetMinutes(ms, timezone);
  const local = new Date(ms + offset * 60_000).toISOString();
  const [day, time] = local.split('T') as [string, string];
  const clock = time.endsWith('.000Z') ? time.slice(0, 8) : time.slice(0, 12);
  const zone =
    offset === 0 ? 'Z' : `${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
  return `${day}T${clock}${zone}`;
};
