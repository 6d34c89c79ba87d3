/** Durations in task properties: ISO-8601 (see src/util/duration.ts), a clear error when malformed. */

import { durationMs } from '../util/duration.ts';
import { TaskError } from './types.ts';

/** Milliseconds of an ISO-8601 duration; throws a non-retryable TaskError on a malformed value. */
export const parseDuration = (text: string, what = 'duration'): number => {
  const ms = durationMs(text);
  if (ms === undefined) {
    throw new TaskError(
      `invalid ${what} '${text}': expected an ISO-8601 duration such as PT30S, PT5M or P1D`,
      {
        retryable: false,
      },
    );
  }
  return ms;
};
