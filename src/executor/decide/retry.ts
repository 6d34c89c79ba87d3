/** Retry policies: whether a failed attempt gets another one, and after how long. */
import type { TaskRun } from '../../execution/types.ts';
import type { Flow, RetryPolicy, Task } from '../../flow/types.ts';
import { durationMs } from '../state.ts';

/** Guards against a policy with no limit at all retrying forever. */
const HARD_MAX_ATTEMPTS = 1000;

/** The task's own policy, else the flow's when its behavior is RETRY_FAILED_TASK (the default). */
export const retryPolicyOf = (flow: Flow, task: Task | undefined): RetryPolicy | undefined => {
  if (task?.retry) return task.retry;
  const fr = flow.retry;
  if (fr && (fr.behavior ?? 'RETRY_FAILED_TASK') === 'RETRY_FAILED_TASK') return fr;
  return undefined;
};

/**
 * The attempt limit of a policy, `maxAttempts` or its alias `maxAttempt`. Kestra reads the alias through
 * Jackson, which keeps the value written last when both appear: the later key of the object wins.
 */
export const maxAttemptsOf = (policy: RetryPolicy): number | undefined => {
  const keys = Object.keys(policy).filter((k) => k === 'maxAttempts' || k === 'maxAttempt');
  const last = keys[keys.length - 1] as 'maxAttempts' | 'maxAttempt' | undefined;
  return last === undefined ? undefined : policy[last];
};

const hash = (s: string): number => {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
};

/**
 * Milliseconds to wait before the next attempt, or undefined when the policy is exhausted.
 * `attempts`: attempts made so far (the failed one included); `since`: start of the first attempt.
 */
export const retryDelay = (
  policy: RetryPolicy,
  attempts: number,
  since: number,
  now: number,
  seed: string,
): number | undefined => {
  const max = maxAttemptsOf(policy) ?? (policy.maxDuration ? Number.POSITIVE_INFINITY : HARD_MAX_ATTEMPTS);
  if (attempts >= Math.min(max, HARD_MAX_ATTEMPTS)) return undefined;
  const interval = durationMs(policy.interval) ?? 1000;
  let delay: number;
  if (policy.type === 'exponential') {
    const factor = policy.delayFactor ?? 2;
    delay = interval * factor ** (attempts - 1);
    const cap = durationMs(policy.maxInterval);
    if (cap !== undefined) delay = Math.min(delay, cap);
  } else if (policy.type === 'random') {
    const lo = durationMs(policy.minInterval) ?? 0;
    const hi = durationMs(policy.maxInterval) ?? lo + interval;
    delay = hi > lo ? lo + (hash(`${seed}:${attempts}`) % (hi - lo)) : lo;
  } else delay = interval;
  const maxDuration = durationMs(policy.maxDuration);
  if (maxDuration !== undefined && now + delay - since > maxDuration) return undefined;
  return Math.max(0, delay);
};

export const firstAttemptStart = (tr: TaskRun, fallback: number): number => {
  const d = tr.attempts[0]?.state.startDate ?? tr.state.startDate;
  const t = Date.parse(d);
  return Number.isNaN(t) ? fallback : t;
};
