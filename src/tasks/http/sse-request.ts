import { Type } from '@sinclair/typebox';
import { DString, dyn, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { httpRequestProperties } from './common.ts';

export const sseRequest: TaskDefinition = {
  type: 'io.kestra.plugin.core.http.SseRequest',
  aliases: ['http.sserequest'],
  kind: 'runnable',
  since: '1.0',
  title: 'Read the Server-Sent Events of an HTTP endpoint.',
  description:
    'Sends one HTTP request and reads the `text/event-stream` response until the server ends it. ' +
    'Outputs: `uri`, `size` (the number of events), and `events` (each with `data`, parsed when JSON, and ' +
    '`id`, `name`, `comment`, `retry`), or with `concatJqExpression`, `result`: the values the jq ' +
    'expression extracts from each event, concatenated.',
  example: `id: consume_events
type: io.kestra.plugin.core.http.SseRequest
uri: https://example.com/events
concatJqExpression: .data.message
`,
  properties: Props(
    {
      ...httpRequestProperties,
      concatJqExpression: DString({
        description:
          'jq expression applied to each event (`{data, id, name, ...}`); its text results are concatenated ' +
          'into `result`. A leading `$` is read as `.` (`$.data.value`), as Kestra accepts.',
      }),
      failedOnMissingJq: dyn(Type.Boolean(), {
        default: true,
        description: 'Fail when the jq expression yields no text for an event (otherwise skip the event).',
      }),
    },
    { required: ['uri'] },
  ),
};
