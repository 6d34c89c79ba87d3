/**
 * Slack and Microsoft Teams notifications (Kestra's `io.kestra.plugin.notifications.slack` and `.teams`,
 * and the newer names of the Slack and Microsoft 365 plugins as aliases): a message of the flow's own
 * (`*IncomingWebhook`), or a summary of an execution (`*Execution`). There is no generic webhook
 * notification in Kestra: any other service is called with io.kestra.plugin.core.http.Request.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { httpRequestProperties } from '../http/common.ts';
import { DString, JsonMap, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { CURRENT_EXECUTION } from './execution-summary.ts';

const N = 'io.kestra.plugin.notifications';

const url = (service: string) =>
  DString({
    minLength: 1,
    description: `The ${service} incoming webhook URL. It is a credential: keep it in a secret, \`{{ secret('${service.toUpperCase().replaceAll(' ', '_')}_WEBHOOK') }}\`.`,
  });
const payload: TSchema = {
  ...Type.Union([Type.String(), JsonMap()]),
  dynamic: true,
  description:
    'The message, as the JSON the service expects (text, or a map). It is rendered as a template, once: a ' +
    'value inserted with `{{ }}` (e.g. from `trigger.body`) is not rendered again; insert text that may ' +
    'hold quotes with `{{ value | toJson }}`.',
};
const options = {
  ...(httpRequestProperties.options as TSchema),
  description: 'HTTP client options (timeouts, proxy, TLS), as http.Request. Default timeout: PT60S.',
} as TSchema;

export const executionProperties = {
  executionId: DString({
    default: CURRENT_EXECUTION,
    description:
      'The execution to report. In a flow started by a Flow trigger: `{{ trigger.executionId }}`; by ' +
      'default the current execution (from an `errors` branch it is reported FAILED).',
  }),
  customMessage: DString({ description: 'A message added to the summary.' }),
  customFields: JsonMap({ dynamic: true, description: 'Extra label → value pairs shown in the summary.' }),
};
const executionText =
  'The message gives the execution id, namespace, flow, state, start date, duration, the task that ' +
  'failed (if one did) and a link to the execution when `BATON_URL` (the address users reach Baton at) ' +
  'is set in the environment of `baton server`.';

export const slackIncomingWebhook: TaskDefinition = {
  type: `${N}.slack.SlackIncomingWebhook`,
  aliases: [
    'io.kestra.plugin.slack.notifications.SlackIncomingWebhook',
    'io.kestra.plugin.slack.SlackIncomingWebhook',
    'slack.incomingwebhook',
  ],
  kind: 'runnable',
  title: 'Send a Slack message using an incoming webhook.',
  description:
    'Posts `payload` (or `{"text": messageText}`) to a Slack incoming webhook; Rocket.Chat, Mattermost ' +
    'and other Slack-compatible webhooks work too. Typical use: in the flow `errors` to alert on a ' +
    'failure. A refused message (4xx) fails without retry; an unreachable service or a 5xx is retryable.',
  example: `id: alert_on_failure
type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
url: "{{ secret('SLACK_WEBHOOK') }}"
payload: |
  {
    "text": "Failure alert for flow {{ flow.namespace }}.{{ flow.id }} with ID {{ execution.id }}"
  }
`,
  properties: Props(
    {
      url: url('Slack'),
      payload,
      messageText: DString({
        description: 'Plain text of the message, sent as `{"text": ...}` (instead of `payload`).',
      }),
      options,
    },
    { required: ['url'] },
  ),
};

export const slackExecution: TaskDefinition = {
  type: `${N}.slack.SlackExecution`,
  aliases: [
    'io.kestra.plugin.slack.notifications.SlackExecution',
    'io.kestra.plugin.slack.SlackExecution',
    'slack.execution',
  ],
  kind: 'runnable',
  title: 'Send a Slack message summarising an execution.',
  description: `Posts a summary of the execution \`executionId\` to a Slack incoming webhook. ${executionText} Use it in a flow started by a Flow trigger on failed executions, or in \`errors\`.`,
  example: `id: send_alert
type: io.kestra.plugin.notifications.slack.SlackExecution
url: "{{ secret('SLACK_WEBHOOK') }}"
channel: "#alerts"
executionId: "{{ trigger.executionId }}"
`,
  properties: Props(
    {
      url: url('Slack'),
      channel: DString({ description: 'The channel to post to (when the webhook allows overriding it).' }),
      username: DString({ description: 'The name the message is posted as.' }),
      iconUrl: DString({ description: 'URL of the icon the message is posted with.' }),
      iconEmoji: DString({ description: 'Emoji the message is posted with (e.g. `:warning:`).' }),
      ...executionProperties,
      options,
    },
    { required: ['url'] },
  ),
};

export const teamsIncomingWebhook: TaskDefinition = {
  type: `${N}.teams.TeamsIncomingWebhook`,
  aliases: ['io.kestra.plugin.microsoft365.teams.TeamsIncomingWebhook', 'teams.incomingwebhook'],
  kind: 'runnable',
  title: 'Send a Microsoft Teams message using an incoming webhook.',
  description:
    'Posts `payload` (a MessageCard or an Adaptive Card message) to a Microsoft Teams incoming webhook. ' +
    'A refused message (4xx) fails without retry; an unreachable service or a 5xx is retryable.',
  example: `id: alert_on_failure
type: io.kestra.plugin.notifications.teams.TeamsIncomingWebhook
url: "{{ secret('TEAMS_WEBHOOK') }}"
payload: |
  {
    "@type": "MessageCard",
    "@context": "http://schema.org/extensions",
    "summary": "Failure of {{ flow.namespace }}.{{ flow.id }}",
    "text": "Execution {{ execution.id }} failed"
  }
`,
  properties: Props({ url: url('Teams'), payload, options }, { required: ['url', 'payload'] }),
};

export const teamsExecution: TaskDefinition = {
  type: `${N}.teams.TeamsExecution`,
  aliases: ['teams.execution'],
  kind: 'runnable',
  title: 'Send a Microsoft Teams message summarising an execution.',
  description: `Posts a MessageCard summarising the execution \`executionId\` to a Microsoft Teams incoming webhook. ${executionText}`,
  example: `id: send_alert
type: io.kestra.plugin.notifications.teams.TeamsExecution
url: "{{ secret('TEAMS_WEBHOOK') }}"
activityTitle: Kestra Teams notification
executionId: "{{ trigger.executionId }}"
`,
  properties: Props(
    {
      url: url('Teams'),
      activityTitle: DString({ description: 'Title of the card (the execution summary line by default).' }),
      activitySubtitle: DString({ description: 'Subtitle of the card.' }),
      themeColor: DString({ description: 'Colour of the card, hexadecimal (by default, from the state).' }),
      ...executionProperties,
      options,
    },
    { required: ['url'] },
  ),
};
