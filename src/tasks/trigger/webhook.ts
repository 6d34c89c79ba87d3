import { Type } from '@sinclair/typebox';
import { JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

export const webhook: TaskDefinition = {
  type: 'io.kestra.plugin.core.trigger.Webhook',
  aliases: ['io.kestra.core.models.triggers.types.Webhook', 'webhook'],
  kind: 'trigger',
  title: 'Start an execution on an HTTP request.',
  description:
    'Starts an execution on any request to `/api/v1/executions/webhook/{namespace}/{flowId}/{key}` ' +
    '(GET, POST, PUT...). The `key` acts as a password: keep it secret. In the flow, ' +
    '`{{ trigger.body }}` is the request body (parsed when JSON), `{{ trigger.headers }}` and ' +
    '`{{ trigger.parameters }}` the headers and query parameters (lists of values).',
  example: `id: on_request
type: io.kestra.plugin.core.trigger.Webhook
key: 4wjtkzwVGBM9yKnjm3yv8r
`,
  properties: Props(
    {
      key: Type.String({
        minLength: 1,
        maxLength: 256,
        description: 'Secret part of the webhook URL. Can be rendered from a secret.',
        dynamic: true,
      }),
      inputs: JsonMap({
        dynamic: true,
        description: 'Inputs of the executions started; may use `trigger.body`.',
      }),
      wait: Type.Boolean({
        default: false,
        description: 'Answer the call once the execution ended, instead of as soon as it is created.',
      }),
      returnOutputs: Type.Boolean({
        default: false,
        description: 'With `wait`: answer with the flow outputs instead of the execution.',
      }),
      responseContentType: Type.Union([Type.Literal('application/json'), Type.Literal('text/plain')], {
        description: 'With `wait` and `returnOutputs`: the content type of the answer (JSON by default).',
      }),
      responseCode: Type.Integer({
        minimum: 100,
        maximum: 599,
        description:
          'With `wait` and `returnOutputs`: the status of the answer (200, or 500 if the execution failed).',
      }),
    },
    { required: ['key'] },
  ),
};
