/** Sleep: waits `duration`; returns early (the worker reports KILLED / timeout) when the job is aborted. */
import { setTimeout as delay } from 'node:timers/promises';
import type { RunFunction } from '../context.ts';
import { parseDuration } from '../duration.ts';

export const run: RunFunction<{ duration: string }> = async (ctx, props) => {
  const ms = parseDuration(String(props.duration), 'duration');
  await delay(Math.max(0, ms), undefined, { signal: ctx.signal }).catch(() => {
    // aborted: the worker sees the aborted signal and reports accordingly
  });
  return {};
};
