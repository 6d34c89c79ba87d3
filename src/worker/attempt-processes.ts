/**
 * The processes of a job's attempts. A script runs in its own process group, so when its `baton` dies
 * (SIGKILL, a crash) the script lives on, reparented to init. The job's lease then runs out, or the next
 * start on this machine releases it, and another attempt would run the task a second time while the
 * first still does: its side effects twice, at the same time. So each attempt records its script with
 * the job (host, pid, start time), and the attempt that takes the job over ends that group first
 * (SIGTERM, then SIGKILL after a grace period), saying so in its log.
 *
 * Limits: a script of another machine cannot be reached (the new attempt's log says it may still run);
 * a `baton` killed in the few milliseconds between starting a script and recording it leaves it
 * unrecorded; a process that left its group (`setsid`) is not found.
 */
import { hostname } from 'node:os';
import { withStoreRetry } from '../store/retry.ts';
import type { QueueMessage, Store } from '../store/types.ts';
import { endProcessGroup, processIdentity, recordedGroup } from '../util/processes.ts';

/** Records the process group `pgid` started by the attempt holding `message` (never rejects). */
export const recordAttemptProcess = async (
  store: Store,
  message: QueueMessage,
  owner: string,
  pgid: number,
  report: (error: unknown) => void,
): Promise<void> => {
  const identity = processIdentity(pgid);
  if (!identity) return; // gone already, or no way to recognise it later (no /proc)
  await withStoreRetry(() => store.recordJobProcess(message.id, owner, identity)).catch(report);
};

/**
 * Ends the script an earlier attempt of this job left running, if any; returns what the new attempt's
 * log should say about it (nothing when there was nothing to end). Never rejects.
 */
export const endPreviousAttempt = async (
  store: Store,
  message: QueueMessage,
  owner: string,
  report: (error: unknown) => void,
): Promise<string | undefined> => {
  const p = message.process;
  if (!p) return undefined;
  let said: string | undefined;
  try {
    const found = recordedGroup(p);
    if (found.status === 'elsewhere')
      return `the previous attempt of this task ran a script on ${p.host} (process ${p.pid}), which cannot be checked from ${hostname()}: it may still be running`;
    if (found.status === 'running') {
      const { killed } = await endProcessGroup(p.pid);
      said = `the previous attempt's script (process group ${p.pid}: ${found.members.length} process(es)) was still running although its baton process was gone: ${killed ? 'killed it (SIGKILL, after it ignored SIGTERM)' : 'ended it (SIGTERM)'} before starting this attempt`;
    }
    // Dealt with: a later takeover must not look for it again (its pid may be reused by then).
    await withStoreRetry(() => store.recordJobProcess(message.id, owner, undefined));
  } catch (error) {
    report(error);
  }
  return said;
};
