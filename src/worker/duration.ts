/** ISO-8601 durations as Java's `Duration.parse` reads them (`PT1S`, `PT0.5S`, `P1DT2H`, `-PT5M`). */
import { TaskError } from '../tasks/types.ts';

const PATTERN =
  /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/** Milliseconds of an ISO-8601 duration; throws a non-retryable TaskError on a malformed value. */
export const parseDuration = (text: string, what = 'duration'): number => {
  const m = PATTERN.exec(text.trim());
  if (!m || text.trim().toUpperCase() === 'P' || /T$/i.test(text.trim())) {
    throw new TaskError(
      `invalid ${what} '${text}': expected an ISO-8601 duration such as PT30S, PT5M or P1D`,
      {
        retryable: false,
      },
    );
  }
  const [, sign, d, h, min, s, frac] = m;
  const secondsSign = s?.startsWith('-') ? -1 : 1;
  const fraction = frac ? Number(`0.${frac}`) * secondsSign : 0;
  const ms =
    Number(d ?? 0) * 86_400_000 +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * 60_000 +
    (Number(s ?? 0) + fraction) * 1000;
  return Math.round(sign === '-' ? -ms : ms);
};
