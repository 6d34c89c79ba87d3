/**
 * E-mail notifications over SMTP (Kestra's `io.kestra.plugin.notifications.mail`, and the newer
 * `io.kestra.plugin.email` names as aliases): a message of the flow's own (MailSend) or a summary of an
 * execution (MailExecution).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { DEnum, DString, dyn, Props } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';
import { executionProperties } from './webhooks.ts';

const N = 'io.kestra.plugin.notifications.mail';

export const TRANSPORT_STRATEGIES = ['SMTP', 'SMTPS', 'SMTP_TLS', 'SMTP_OAUTH2'] as const;

const fileList = (what: string): TSchema => ({
  ...Type.Union([
    Type.Array(
      Type.Object(
        {
          name: Type.String({ description: 'File name shown in the message.' }),
          uri: Type.String({ description: 'The file: a `kestra:///` URI of internal storage.' }),
          contentType: Type.String({ description: 'MIME type (by default, from the name).' }),
        },
        { required: ['uri'], additionalProperties: false },
      ),
    ),
    Type.String(),
  ]),
  dynamic: true,
  description: `${what}: a list of \`{name, uri, contentType}\`, or an expression rendering to one (JSON).`,
});

const smtpProperties = {
  host: DString({ minLength: 1, description: 'The SMTP server host.' }),
  port: dyn(Type.Integer({ minimum: 1, maximum: 65535 }), {
    description: 'The SMTP server port (by default 25 for SMTP, 465 for SMTPS, 587 for SMTP_TLS).',
  }),
  username: DString({ description: 'The SMTP user (no authentication without it).' }),
  password: DString({
    description: "The SMTP password (SMTP_OAUTH2: the access token); use `{{ secret('EMAIL_PASSWORD') }}`.",
  }),
  transportStrategy: DEnum(TRANSPORT_STRATEGIES, {
    default: 'SMTPS',
    description:
      'SMTP: plain, no encryption; SMTPS: TLS from the start (port 465); SMTP_TLS: STARTTLS, required ' +
      '(port 587); SMTP_OAUTH2: STARTTLS with XOAUTH2 authentication, `password` being the access token.',
  }),
  sessionTimeout: dyn(Type.Integer({ minimum: 1 }), {
    default: 10000,
    description: 'Milliseconds to wait for the server (connection, greeting, each answer).',
  }),
  verifyServerIdentity: dyn(Type.Boolean(), {
    default: true,
    description: "Check the server's TLS certificate and host name. Turn off only for tests.",
  }),
  trustedHosts: Type.Array(Type.String(), {
    description: 'Hosts whose TLS certificate is accepted without verification (`*`: all).',
  }),
  from: DString({ minLength: 1, description: 'The sender address (`Name <address>` allowed).' }),
  to: DString({
    minLength: 1,
    description: 'The recipient address(es), separated by commas or semicolons (RFC 2822 addresses).',
  }),
  cc: DString({ description: 'Carbon copy recipient(s), separated by commas or semicolons.' }),
  subject: DString({ description: 'The subject line.' }),
  attachments: fileList('Files attached to the message'),
  embeddedImages: fileList('Images embedded in the HTML body (refer to one as `<img src="cid:NAME">`)'),
};

export const mailSend: TaskDefinition = {
  type: `${N}.MailSend`,
  aliases: ['io.kestra.plugin.email.MailSend', 'mail.send'],
  kind: 'runnable',
  title: 'Send an e-mail.',
  description:
    'Sends one message over SMTP, with an HTML and/or a plain-text body and files of internal storage ' +
    'attached. A wrong password or a refused address fails without retry; an unreachable server or a ' +
    'temporary refusal (4xx) is retryable. Credentials never appear in logs or outputs.',
  example: `id: send_email
type: io.kestra.plugin.notifications.mail.MailSend
host: mail.example.com
port: 465
username: "{{ secret('EMAIL_USERNAME') }}"
password: "{{ secret('EMAIL_PASSWORD') }}"
from: alerts@example.com
to: team@example.com
subject: "Flow {{ flow.id }} failed"
htmlTextContent: "Failure of {{ flow.namespace }}.{{ flow.id }}, execution {{ execution.id }}"
`,
  properties: Props(
    {
      ...smtpProperties,
      htmlTextContent: DString({ description: 'The HTML body.' }),
      plainTextContent: DString({ description: 'The plain-text body (offered beside the HTML one).' }),
    },
    { required: ['host', 'from', 'to'] },
  ),
};

export const mailExecution: TaskDefinition = {
  type: `${N}.MailExecution`,
  aliases: ['io.kestra.plugin.email.MailExecution', 'mail.execution'],
  kind: 'runnable',
  title: 'Send an e-mail summarising an execution.',
  description:
    'Sends, as MailSend, a message giving the execution id, namespace, flow, state, start date, duration, ' +
    'the task that failed (if one did) and a link to the execution when `BATON_URL` is set. The subject ' +
    'defaults to `[namespace] flow ➛ STATE`.',
  example: `id: send_alert
type: io.kestra.plugin.notifications.mail.MailExecution
host: mail.example.com
port: 465
username: "{{ secret('EMAIL_USERNAME') }}"
password: "{{ secret('EMAIL_PASSWORD') }}"
from: alerts@example.com
to: team@example.com
executionId: "{{ trigger.executionId }}"
`,
  properties: Props({ ...smtpProperties, ...executionProperties }, { required: ['host', 'from', 'to'] }),
};
