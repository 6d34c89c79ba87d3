/**
 * Helpers for the trigger types of integrations (brokers, files): their properties rendered with the
 * flow's variables and `secret()`, a file of internal storage for `trigger.uri`, and the test hook
 * that kills the process right before an acknowledgment.
 */
import { randomUUID } from 'node:crypto';
import { renderValue } from '../expression/index.ts';
import { toIon } from '../expression/ion.ts';
import { envSecrets, requireSecret } from '../secrets/index.ts';
import type { TriggerTypeContext } from './registry.ts';
import { flowVariables } from './spec.ts';

/**
 * The trigger's properties `names` (all but id, type and conditions when not given) rendered as a
 * task's are (a scheduler runs in the worker's process: secrets come from the same environment).
 * Values from outside are never rendered: only what the flow author wrote; they may be handed in as
 * `extraVariables` (e.g. the HTTP trigger's `response`), which are read, not rendered. Credentials
 * rendered here are only ever handed to the client library, never logged nor put in the execution.
 */
export const renderTriggerProps = <P>(
  ctx: TriggerTypeContext,
  names?: readonly string[],
  extraVariables: Record<string, unknown> = {},
): P => {
  const secrets = envSecrets();
  const services = { secret: (key: string) => requireSecret(secrets, key) };
  const own: Record<string, unknown> = {};
  if (names) {
    for (const name of names) if (ctx.trigger[name] !== undefined) own[name] = ctx.trigger[name];
  } else {
    const { id: _id, type: _type, conditions: _c, ...rest } = ctx.trigger as Record<string, unknown>;
    Object.assign(own, rest);
  }
  return renderValue(own, { ...flowVariables(ctx.flow), ...extraVariables }, { services }) as P;
};

/**
 * Writes lines (one JSON value each, Kestra's ION read as text) to internal storage under the
 * trigger's folder; returns the `kestra:///` URI that the execution gets as `trigger.uri`.
 */
export const storeTriggerFile = async (ctx: TriggerTypeContext, values: unknown[]): Promise<string> => {
  if (!ctx.storage) throw new Error('this scheduler has no internal storage to hand a file to executions');
  // Ion text, one value per line (Kestra's format): what read(), ForEachItem and the storage tasks read.
  const body = values.map((v) => `${toIon(v)}\n`).join('');
  return ctx.storage.put(
    [...ctx.flow.namespace.split('.'), ctx.flow.id, 'triggers', ctx.trigger.id, `${randomUUID()}.ion`],
    body,
  );
};

/**
 * Test hook (documented in the tests that use it): when BATON_TEST_CRASH_BEFORE_ACK names this
 * trigger type (or is `*`), the process kills itself with SIGKILL right before acknowledging a message
 * whose execution is stored — the crash the acknowledgment-after-commit rule is about. Never set it
 * in production.
 */
export const crashBeforeAckHook = (type: string): void => {
  const wanted = process.env.BATON_TEST_CRASH_BEFORE_ACK;
  if (wanted && (wanted === '*' || wanted === type)) process.kill(process.pid, 'SIGKILL');
};

/** Resolves after `ms`, early (without error) when `signal` aborts. */
export const pause = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Every name a flow may give a trigger type (canonical and aliases): the scheduler looks types up as written. */
export const namesOf = (def: { type: string; aliases?: string[] }): string[] => [
  def.type,
  ...(def.aliases ?? []),
];
