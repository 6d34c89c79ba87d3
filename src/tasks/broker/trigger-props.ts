/**
 * A broker trigger's properties, rendered as a task's are: with the flow's variables and `secret()`
 * (read from the server's environment, as the worker's secrets are). Credentials rendered here are
 * only ever handed to the client library, never logged nor put in the execution.
 */
import { renderValue } from '../../expression/index.ts';
import type { TriggerTypeContext } from '../../scheduler/registry.ts';
import { flowVariables } from '../../scheduler/spec.ts';
import { envSecrets, requireSecret } from '../../secrets/index.ts';
import { durationMs } from '../../util/duration.ts';

export const renderTriggerProps = (ctx: TriggerTypeContext): Record<string, unknown> => {
  const secrets = envSecrets();
  const { id: _id, type: _type, conditions: _c, ...props } = ctx.trigger as Record<string, unknown>;
  return renderValue(props, flowVariables(ctx.flow), {
    services: { secret: (key) => requireSecret(secrets, key) },
  }) as Record<string, unknown>;
};

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

/**
 * Test hook: with BATON_TEST_KILL_BEFORE_ACK=1 in its environment, the process kills itself (SIGKILL,
 * as a crash: nothing runs after it) right after an execution was committed and before the broker is
 * acknowledged. Tests use it to check that the broker redelivers the message. Never set it otherwise.
 */
export const crashBeforeAckForTests = (): void => {
  if (process.env.BATON_TEST_KILL_BEFORE_ACK === '1') process.kill(process.pid, 'SIGKILL');
};
