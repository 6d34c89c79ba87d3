/** The limits of a broker's consuming task or trigger. */
import { durationMs } from '../../util/duration.ts';

/** maxRecords / maxDuration of a consuming task or trigger (Kestra requires one of them). */
export const consumeLimits = (
  props: { maxRecords?: unknown; maxDuration?: unknown },
  fallbackMs: number,
): { maxRecords: number; maxMs: number } => {
  const maxRecords = props.maxRecords === undefined ? Number.POSITIVE_INFINITY : Number(props.maxRecords);
  const maxMs = props.maxDuration === undefined ? undefined : durationMs(String(props.maxDuration));
  return {
    maxRecords: Number.isFinite(maxRecords) && maxRecords > 0 ? maxRecords : Number.POSITIVE_INFINITY,
    maxMs: maxMs ?? fallbackMs,
  };
};
