/**
 * The HTTP polling trigger for the scheduler: every `interval`, one request as http.Request sends it;
 * when `responseCondition` renders truthy, one execution starts with Kestra's outputs of the request:
 * `trigger.uri`, `trigger.code`, `trigger.headers` (name → values) and `trigger.body` (text).
 * The response comes from outside: it is a variable of `responseCondition` (`response.statusCode`,
 * `response.body`, `response.headers`), never rendered as a template itself. `stopAfter` (turn the
 * trigger off once an execution it started ended in one of these states) is the scheduler's.
 */
import { isTruthy } from '../../expression/index.ts';
import { registerTriggerType } from '../../scheduler/registry.ts';
import { namesOf, renderTriggerProps } from '../../scheduler/trigger-support.ts';
import { type HttpProps, send } from './client.run.ts';
import { httpTrigger } from './request.ts';

/** Kestra's default: any answer below 400 starts an execution. */
export const DEFAULT_RESPONSE_CONDITION = '{{ response.statusCode < 400 }}';

/** The request's own properties, rendered before the call (`responseCondition` is rendered after it). */
const REQUEST_PROPS = [
  'uri',
  'method',
  'body',
  'formData',
  'contentType',
  'headers',
  'options',
  'sslOptions',
  'encryptBody',
];

interface TriggerProps extends HttpProps {
  encryptBody?: boolean;
}

for (const type of namesOf(httpTrigger)) {
  registerTriggerType({
    kind: 'polling',
    type,
    async poll(ctx, signal) {
      const p = renderTriggerProps<TriggerProps>(ctx, REQUEST_PROPS);
      if (p.encryptBody === true)
        // Trigger variables are stored as they are: an unencrypted body where the flow asked for an
        // encrypted one would be a silent leak, so the poll fails (logged) instead.
        throw new Error('encryptBody is not supported on http.Trigger yet: remove it or set it to false');
      // A status of 400 or more is an answer like any other here: responseCondition decides.
      const res = await send({ signal, storage: ctx.storage }, { ...p, allowFailed: true });
      const body = res.body.toString('utf8');
      const response = { statusCode: res.code, body, headers: res.headers };
      const { responseCondition } = renderTriggerProps<{ responseCondition?: unknown }>(
        {
          ...ctx,
          trigger: {
            ...ctx.trigger,
            responseCondition: ctx.trigger.responseCondition ?? DEFAULT_RESPONSE_CONDITION,
          },
        },
        ['responseCondition'],
        { response },
      );
      if (!isTruthy(responseCondition)) return undefined;
      return { event: { variables: { uri: p.uri, code: res.code, headers: res.headers, body } } };
    },
  });
}
