/**
 * jdbc.*.Trigger as a polling trigger type: every `interval`, renders its properties (flow variables
 * and `secret()`, read from this process's environment as the webhook route does), runs `sql` and, when
 * it returns rows, starts one execution with them: `trigger.rows` (FETCH), `trigger.row` (FETCH_ONE)
 * and `trigger.size`. `afterSQL` (e.g. marking the rows as processed) runs in the same transaction, as
 * in Kestra, committed only once the execution is stored. A failed poll is logged by the framework and tried again at the next interval.
 */
import { renderValue } from '../../expression/index.ts';
import type { PollingTriggerType } from '../../scheduler/registry.ts';
import { flowVariables } from '../../scheduler/spec.ts';
import { envSecrets, requireSecret } from '../../secrets/index.ts';
import { TaskError } from '../types.ts';
import { fetchTypeOf, pollQuery, type SqlProps } from './execute.ts';

/** Kestra's default polling interval for JDBC triggers. */
const DEFAULT_INTERVAL_MS = 60_000;

const DYNAMIC = ['url', 'username', 'password', 'sql', 'afterSQL', 'parameters', 'fetchType'] as const;

export const sqlTrigger = (type: string): PollingTriggerType => ({
  kind: 'polling',
  type,
  defaultIntervalMs: DEFAULT_INTERVAL_MS,
  async poll({ flow, trigger }) {
    const secrets = envSecrets();
    const options = { services: { secret: (k: string) => requireSecret(secrets, k) } };
    const variables = flowVariables(flow);
    const props: Record<string, unknown> = { ...trigger };
    for (const name of DYNAMIC)
      if (props[name] !== undefined) props[name] = renderValue(props[name], variables, options);
    const sql = props as unknown as SqlProps;
    if (fetchTypeOf(sql) === 'STORE')
      throw new TaskError(
        `${type}: fetchType STORE is not supported by the trigger; use FETCH or FETCH_ONE`,
        {
          retryable: false,
        },
      );
    // The trigger has no job folder: a relative SQLite path is taken from the server's directory.
    const { out, finish } = await pollQuery(sql, { workingDir: process.cwd() });
    if (!out.size) {
      // Nothing to start: what afterSQL did (if anything) is kept, as Kestra does.
      await finish(true);
      return undefined;
    }
    const variablesOut: Record<string, unknown> = { size: out.size };
    if (out.rows) variablesOut.rows = out.rows;
    if (out.row !== undefined) variablesOut.row = out.row;
    // afterSQL commits only once the execution is stored: a poll whose execution is dropped (or a
    // crash before) leaves the rows to be found again instead of losing them.
    return { event: { variables: variablesOut }, settle: ({ started }) => finish(started) };
  },
});
