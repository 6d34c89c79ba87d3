/**
 * every-type rows of the notification tasks, against real local receivers started when this table is
 * loaded: an HTTP server standing for Slack and Teams, and an SMTP server with a login. Each row posts
 * or mails under its own namespace (a path, a subject) and checks what arrived.
 */
import {
  type HookServer,
  type SmtpReceiver,
  startHookServer,
  startSmtpServer,
} from '../helpers/receivers.ts';
import { expectEq } from './every-type.expect.ts';
import type { TaskRow } from './every-type.table.ts';

const N = 'io.kestra.plugin.notifications';
const SMTP_USER = 'every';
const SMTP_PASSWORD = 'every-type-password';

// Started once, before the rows are read: the flows are deployed with their addresses.
const hook: HookServer = await startHookServer({ unref: true });
const smtp: SmtpReceiver = await startSmtpServer({ user: SMTP_USER, password: SMTP_PASSWORD, unref: true });

/** The one JSON body posted to this row's path. */
const posted = (path: string): Record<string, unknown> => {
  const found = hook.to(path);
  expectEq(found.length, 1, `posts to ${path}`);
  return found[0]!.json as Record<string, unknown>;
};

const mailed = (subject: string) => {
  const found = smtp.mails.filter((m) => m.mail.subject === subject);
  expectEq(found.length, 1, `mails with subject ${subject}`);
  expectEq(found[0]!.user, SMTP_USER, 'authenticated user');
  return found[0]!;
};

const smtpProps = {
  host: '127.0.0.1',
  port: smtp.port,
  transportStrategy: 'SMTP',
  username: SMTP_USER,
  password: SMTP_PASSWORD,
  from: 'baton@example.com',
  to: 'team@example.com',
};

/** Facts of a Slack summary attachment, by title. */
const slackFields = (body: Record<string, unknown>): Record<string, string> => {
  const [attachment] = body.attachments as { fields: { title: string; value: string }[] }[];
  return Object.fromEntries(attachment!.fields.map((f) => [f.title, f.value]));
};

export const notificationRows: Record<string, TaskRow> = {
  [`${N}.slack.SlackIncomingWebhook`]: {
    props: (c) => ({
      url: `${hook.url}/slack/${c.ns}`,
      payload: '{"text": "hello from {{ flow.namespace }}"}',
    }),
    check: (_e, _o, c) => expectEq(posted(`/slack/${c.ns}`), { text: `hello from ${c.ns}` }, 'payload'),
  },
  [`${N}.slack.SlackExecution`]: {
    props: (c) => ({
      url: `${hook.url}/slack-execution/${c.ns}`,
      channel: '#alerts',
      customFields: { env: 'test' },
    }),
    check: (e, _o, c) => {
      const body = posted(`/slack-execution/${c.ns}`);
      expectEq(body.channel, '#alerts', 'channel');
      const fields = slackFields(body);
      expectEq(
        [fields['Execution ID'], fields.Namespace, fields.Flow, fields.env],
        [e.id, c.ns, 'main', 'test'],
        'fields',
      );
    },
  },
  [`${N}.teams.TeamsIncomingWebhook`]: {
    props: (c) => ({ url: `${hook.url}/teams/${c.ns}`, payload: { text: 'hello {{ flow.id }}' } }),
    check: (_e, _o, c) => expectEq(posted(`/teams/${c.ns}`), { text: 'hello main' }, 'payload'),
  },
  [`${N}.teams.TeamsExecution`]: {
    props: (c) => ({ url: `${hook.url}/teams-execution/${c.ns}`, activityTitle: 'Baton' }),
    check: (e, _o, c) => {
      const card = posted(`/teams-execution/${c.ns}`) as {
        '@type': string;
        sections: { activityTitle: string; facts: { name: string; value: string }[] }[];
      };
      expectEq(card['@type'], 'MessageCard', '@type');
      expectEq(card.sections[0]!.activityTitle, 'Baton', 'activityTitle');
      expectEq(
        card.sections[0]!.facts.find((f) => f.name === 'Execution ID')?.value,
        e.id,
        'execution id fact',
      );
    },
  },
  [`${N}.mail.MailSend`]: {
    props: { ...smtpProps, subject: '{{ flow.namespace }}', plainTextContent: 'hello {{ flow.id }}' },
    check: (_e, _o, c) => expectEq(mailed(c.ns).mail.text?.trim(), 'hello main', 'body'),
  },
  [`${N}.mail.MailExecution`]: {
    props: { ...smtpProps, subject: 'summary {{ flow.namespace }}' },
    check: (e, _o, c) => {
      const { mail } = mailed(`summary ${c.ns}`);
      if (!mail.text?.includes(`Execution ID: ${e.id}`))
        throw new Error(`summary lacks the execution id: ${mail.text}`);
    },
  },
};
