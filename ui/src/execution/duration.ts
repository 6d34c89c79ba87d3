/** `PT1M3.25S` (Java's Duration, as the API gives it) as a person reads it: `1m 3.3s`. */
export const formatDuration = (iso: string): string => {
  const m = /^PT(?:(-?\d+)H)?(?:(-?\d+)M)?(?:(-?\d+(?:\.\d+)?)S)?$/.exec(iso);
  if (!m) return iso;
  const [, h, min, s] = m;
  const parts: string[] = [];
  if (h) parts.push(`${h}h`);
  if (min) parts.push(`${min}m`);
  if (s || parts.length === 0) {
    const seconds = Number(s ?? 0);
    parts.push(`${seconds < 10 && seconds % 1 !== 0 ? seconds.toFixed(2) : Math.round(seconds)}s`);
  }
  return parts.join(' ');
};
