/** ISO-8601 durations as Java's `Duration.parse` reads them (`PT1S`, `PT0.5S`, `P1DT2H`, `-PT5M`). */
const PATTERN =
  /^([-+]?)P(?:([-+]?\d+)D)?(?:T(?:([-+]?\d+)H)?(?:([-+]?\d+)M)?(?:([-+]?\d+)(?:[.,](\d{0,9}))?S)?)?$/i;

/** Milliseconds of an ISO-8601 duration (a number is taken as milliseconds); undefined when malformed. */
export const durationMs = (text: unknown): number | undefined => {
  if (typeof text === 'number') return text;
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  const m = PATTERN.exec(t);
  if (!m || t.toUpperCase() === 'P' || /T$/i.test(t)) return undefined;
  const [, sign, d, h, min, s, frac] = m;
  const fraction = frac ? Number(`0.${frac}`) * (s?.startsWith('-') ? -1 : 1) : 0;
  const ms =
    Number(d ?? 0) * 86_400_000 +
    Number(h ?? 0) * 3_600_000 +
    Number(min ?? 0) * 60_000 +
    (Number(s ?? 0) + fraction) * 1000;
  return Math.round(sign === '-' ? -ms : ms);
};

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Milliseconds of an age as people write it on a command line: `45s`, `90m`, `12h`, `30d`, `8w` or an
 * ISO-8601 duration (`P30D`, `PT1H`); undefined when malformed, zero or negative.
 */
export const ageMs = (text: string): number | undefined => {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[m[2]!]! : durationMs(text);
  return ms !== undefined && Number.isFinite(ms) && ms > 0 ? ms : undefined;
};
