import { Type } from '@sinclair/typebox';
import { DString, Duration, dyn, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { httpRequestProperties } from './common.ts';

export const request: TaskDefinition = {
  type: 'io.kestra.plugin.core.http.Request',
  aliases: ['io.kestra.plugin.fs.http.Request', 'http.request'],
  kind: 'runnable',
  title: 'Call an HTTP endpoint.',
  description:
    'Sends one HTTP request and returns the response: outputs `code`, `headers`, `body` (parsed when ' +
    'JSON) and `uri`. Fails on a status of 400 or more unless `options.allowFailed` is set.',
  example: `id: call_api
type: io.kestra.plugin.core.http.Request
uri: https://example.com/api/items
method: POST
contentType: application/json
body: '{"name": "item"}'
`,
  properties: Props(
    {
      ...httpRequestProperties,
      encryptBody: dyn(Type.Boolean(), {
        default: false,
        description: 'Store the response body encrypted in the outputs (it may hold secrets).',
      }),
    },
    { required: ['uri'] },
  ),
};

export const download: TaskDefinition = {
  type: 'io.kestra.plugin.core.http.Download',
  aliases: ['io.kestra.plugin.fs.http.Download', 'http.download'],
  kind: 'runnable',
  title: 'Download a file over HTTP to the internal storage.',
  description:
    'Sends one HTTP request and stores the response body as a file. Outputs: `uri` of the file, `code`, ' +
    '`headers` and `length`.',
  example: `id: fetch_csv
type: io.kestra.plugin.core.http.Download
uri: https://example.com/data.csv
`,
  properties: Props(
    {
      ...httpRequestProperties,
      failOnEmptyResponse: dyn(Type.Boolean(), {
        default: true,
        description: 'Fail when the response has no body.',
      }),
      saveAs: DString({ description: 'File name to store the download under (extension kept).' }),
    },
    { required: ['uri'] },
  ),
};

export const httpTrigger: TaskDefinition = {
  type: 'io.kestra.plugin.core.http.Trigger',
  aliases: ['io.kestra.plugin.fs.http.Trigger', 'http.trigger'],
  kind: 'trigger',
  title: 'Start an execution when an HTTP endpoint answers as expected.',
  description:
    'Calls `uri` every `interval` (in `baton server`) and starts an execution when `responseCondition` ' +
    'renders truthy; the execution gets `{{ trigger.uri }}`, `{{ trigger.code }}`, `{{ trigger.headers }}` ' +
    '(name → list of values) and `{{ trigger.body }}` (text: `{{ json(trigger.body).field }}` reads JSON). ' +
    'The response is data: it is never rendered as a template. `stopAfter: [SUCCESS]` turns the trigger ' +
    'off once an execution it started succeeded.',
  example: `id: when_ready
type: io.kestra.plugin.core.http.Trigger
uri: https://example.com/status
responseCondition: "{{ response.statusCode == 200 }}"
interval: PT1M
stopAfter:
  - SUCCESS
`,
  properties: Props(
    {
      ...httpRequestProperties,
      responseCondition: DString({
        default: '{{ response.statusCode < 400 }}',
        description: 'Expression on `response` (statusCode, body, headers); fires when truthy.',
      }),
      interval: Duration({ default: 'PT1M', description: 'Time between two calls.' }),
      encryptBody: dyn(Type.Boolean(), { default: false, description: 'Store the response body encrypted.' }),
    },
    { required: ['uri'] },
  ),
};
