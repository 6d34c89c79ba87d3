/**
 * Notifications through `baton server`, against real receivers started here: an HTTP server standing
 * for Slack and Teams (the JSON bodies are checked), and an SMTP server with a login (smtp-server: the
 * message is parsed and checked, attachment included). Credentials come from secret() and never show
 * in logs; a refused message (4xx, wrong password) is not retried, an unreachable or failing service is.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployFlow, eventually, unique, waitExecutions } from '../helpers/integrations.ts';
import {
  type HookServer,
  type SmtpReceiver,
  startHookServer,
  startSmtpServer,
} from '../helpers/receivers.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const NS = `notify.${unique('t')}`;
const SLACK_PATH = '/services/T000/B000/slack-path-secret';
const SMTP = { user: 'mailer', password: 'smtp-password-kept-secret' };
const WRONG_PASSWORD = 'wrong-password-kept-secret';
const BATON_URL = 'http://baton.test:8080';

let hook: HookServer;
let smtp: SmtpReceiver;
let server: TestServer;

interface ApiExecution {
  id: string;
  state: { current: string };
  taskRunList: { taskId: string; state: { current: string }; attempts?: unknown[] }[];
}

const run = async (flowId: string, inputs: Record<string, string> = {}): Promise<ApiExecution> => {
  const form = new FormData();
  for (const [k, v] of Object.entries(inputs)) form.append(k, v);
  const res = await server.request(`/api/v1/executions/${NS}/${flowId}?wait=true`, {
    method: 'POST',
    body: form,
  });
  expect(res.status).toBe(200);
  return (await res.json()) as ApiExecution;
};
const logsOf = async (id: string) => (await server.request(`/api/v1/logs/${id}/download`)).text();
const attemptsOf = (e: ApiExecution, taskId: string) =>
  e.taskRunList.find((t) => t.taskId === taskId)?.attempts?.length;

/** Flows of the Flow-trigger test: deployed before any execution ends, as the trigger's flow list is cached. */
const deployTriggered = async () => {
  await deployFlow(
    server,
    `id: job
namespace: ${NS}
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
`,
  );
  await deployFlow(
    server,
    `id: on_failure
namespace: ${NS}
tasks:
  - id: teams
    type: io.kestra.plugin.notifications.teams.TeamsExecution
    url: ${hook.url}/teams
    executionId: "{{ trigger.executionId }}"
    customMessage: Someone should look
triggers:
  - id: failed
    type: io.kestra.plugin.core.trigger.Flow
    conditions:
      - type: io.kestra.plugin.core.condition.ExecutionFlow
        namespace: ${NS}
        flowId: job
      - type: io.kestra.plugin.core.condition.ExecutionStatus
        in: [FAILED]
`,
  );
};

beforeAll(async () => {
  hook = await startHookServer();
  smtp = await startSmtpServer(SMTP);
  server = await startServer({
    env: {
      BATON_SECRET_SLACK_WEBHOOK: `${hook.url}${SLACK_PATH}`,
      BATON_SECRET_EMAIL_USERNAME: SMTP.user,
      BATON_SECRET_EMAIL_PASSWORD: SMTP.password,
      BATON_SECRET_EMAIL_WRONG_PASSWORD: WRONG_PASSWORD,
      BATON_URL,
    },
  });
  await deployTriggered();
});
afterAll(async () => {
  await server?.dispose();
  await hook?.close();
  await smtp?.close();
});

describe('examples/notify-on-failure.yaml: the errors branch alerts Slack', () => {
  beforeAll(async () => {
    const source = readFileSync(new URL('../../examples/notify-on-failure.yaml', import.meta.url), 'utf8');
    await deployFlow(server, source.replace('namespace: baton.examples', `namespace: ${NS}`));
  });

  it('a failing task runs the errors branch, which posts the message and the execution summary', async () => {
    const e = await run('nightly_export', { table: 'broken' });
    expect(e.state.current).toBe('FAILED');
    const posts = hook.to(SLACK_PATH);
    expect(posts.map((p) => [p.method, p.headers['content-type']])).toEqual([
      ['POST', 'application/json'],
      ['POST', 'application/json'],
    ]);
    expect(posts[0]!.json).toEqual({
      text: `Failure of ${NS}.nightly_export, execution ${e.id}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*nightly_export* failed: execution \`${e.id}\`` } },
      ],
    });
    const link = `${BATON_URL}/ui/executions/${NS}/nightly_export/${e.id}`;
    const summary = posts[1]!.json as {
      text: string;
      attachments: { color: string; fields: { title: string; value: string }[] }[];
    };
    expect(summary.text).toBe(`<${link}|[${NS}] nightly_export ➛ FAILED>\nTable broken`);
    expect(summary.attachments[0]!.color).toBe('danger');
    const fields = Object.fromEntries(summary.attachments[0]!.fields.map((f) => [f.title, f.value]));
    expect(fields).toMatchObject({
      Namespace: NS,
      Flow: 'nightly_export',
      'Execution ID': e.id,
      State: 'FAILED',
      'Failed task': 'export',
      Link: link,
    });
    // The webhook URL is a credential: neither the logs nor the server's output show its path.
    expect(await logsOf(e.id)).not.toContain('slack-path-secret');
    expect(server.output()).not.toContain('slack-path-secret');
  });

  it('a run that succeeds posts nothing', async () => {
    const before = hook.posts.length;
    expect((await run('nightly_export', { table: 'orders' })).state.current).toBe('SUCCESS');
    expect(hook.posts.length).toBe(before);
  });
});

describe('webhook failures', () => {
  const flow = (id: string, path: string) => `id: ${id}
namespace: ${NS}
tasks:
  - id: post
    type: io.kestra.plugin.notifications.slack.SlackIncomingWebhook
    url: ${path}
    messageText: hello
    retry: { type: constant, interval: PT0.1S, maxAttempts: 3 }
`;

  it('a 4xx answer fails at once (retrying cannot help) and says what to check', async () => {
    await deployFlow(server, flow('refused', `${hook.url}/status/404/hook`));
    const e = await run('refused');
    expect(e.state.current).toBe('FAILED');
    expect(hook.to('/status/404/hook').map((p) => p.json)).toEqual([{ text: 'hello' }]);
    expect(attemptsOf(e, 'post')).toBe(1);
    expect(await logsOf(e.id)).toContain('refused the message with 404');
  });

  it('a 5xx answer is retried', async () => {
    await deployFlow(server, flow('failing', `${hook.url}/status/503/hook`));
    const e = await run('failing');
    expect(e.state.current).toBe('FAILED');
    expect(hook.to('/status/503/hook').length).toBe(3);
    expect(attemptsOf(e, 'post')).toBe(3);
  });

  it('an unreachable service is retried, and the error names the host, not the path', async () => {
    await deployFlow(server, flow('unreachable', 'http://127.0.0.1:1/services/secret-path-part'));
    const e = await run('unreachable');
    expect(attemptsOf(e, 'post')).toBe(3);
    const logs = await logsOf(e.id);
    expect(logs).toContain('could not post to 127.0.0.1:1');
    expect(logs).toContain('check the webhook url');
    expect(logs).not.toContain('secret-path-part');
  });
});

describe('Teams summary of another execution, from a Flow trigger', () => {
  it('reads the failed execution by trigger.executionId and posts its MessageCard', async () => {
    const failed = await run('job');
    expect(failed.state.current).toBe('FAILED');
    const [watcher] = await waitExecutions(server, NS, 'on_failure', 1);
    expect(watcher!.state.current).toBe('SUCCESS');
    const [card] = hook.to('/teams').map((p) => p.json) as {
      '@type': string;
      themeColor: string;
      sections: { text: string; facts: { name: string; value: string }[] }[];
      potentialAction: { targets: { uri: string }[] }[];
    }[];
    expect(card!['@type']).toBe('MessageCard');
    expect(card!.themeColor).toBe('A30200');
    expect(card!.sections[0]!.text).toBe('Someone should look');
    const facts = Object.fromEntries(card!.sections[0]!.facts.map((f) => [f.name, f.value]));
    expect(facts).toMatchObject({
      'Execution ID': failed.id,
      Flow: 'job',
      State: 'FAILED',
      'Failed task': 'boom',
    });
    expect(card!.potentialAction[0]!.targets[0]!.uri).toBe(
      `${BATON_URL}/ui/executions/${NS}/job/${failed.id}`,
    );
  });
});

describe('e-mail over SMTP', () => {
  const smtpProps = (password: string) => `    host: 127.0.0.1
    port: ${smtp.port}
    username: "{{ secret('EMAIL_USERNAME') }}"
    password: "{{ secret('${password}') }}"
    transportStrategy: SMTP_TLS
    verifyServerIdentity: false
    from: Baton <baton@example.com>`;

  it('MailSend authenticates, upgrades to TLS and delivers subject, bodies, recipients and the attachment', async () => {
    await deployFlow(
      server,
      `id: report
namespace: ${NS}
tasks:
  - id: write
    type: io.kestra.plugin.core.storage.Write
    content: "id,total\\n1,42\\n"
    extension: .csv
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailSend
${smtpProps('EMAIL_PASSWORD')}
    to: "ops@example.com; data@example.com"
    cc: boss@example.com
    subject: "Report of {{ flow.id }}"
    htmlTextContent: "<p>Total: <b>42</b></p>"
    plainTextContent: "Total: 42"
    attachments:
      - name: report.csv
        uri: "{{ outputs.write.uri }}"
        contentType: text/csv
`,
    );
    const e = await run('report');
    expect(e.state.current).toBe('SUCCESS');
    const got = smtp.mails.filter((m) => m.mail.subject === 'Report of report');
    expect(got.length).toBe(1);
    const { user, secure, envelope, mail } = got[0]!;
    expect([user, secure]).toEqual([SMTP.user, true]);
    expect(envelope).toEqual({
      from: 'baton@example.com',
      to: ['ops@example.com', 'data@example.com', 'boss@example.com'],
    });
    expect(mail.from?.value).toEqual([{ name: 'Baton', address: 'baton@example.com' }]);
    expect(mail.html).toBe('<p>Total: <b>42</b></p>');
    expect(mail.text?.trim()).toBe('Total: 42');
    expect(mail.attachments.map((a) => [a.filename, a.contentType, a.content.toString('utf8')])).toEqual([
      ['report.csv', 'text/csv', 'id,total\n1,42\n'],
    ]);
    expect(await logsOf(e.id)).not.toContain(SMTP.password);
  });

  it('a wrong password fails at once, says to check the credentials and never shows the password', async () => {
    await deployFlow(
      server,
      `id: bad_login
namespace: ${NS}
tasks:
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailSend
${smtpProps('EMAIL_WRONG_PASSWORD')}
    to: ops@example.com
    subject: never
    plainTextContent: never
    retry: { type: constant, interval: PT0.1S, maxAttempts: 3 }
`,
    );
    const e = await run('bad_login');
    expect(e.state.current).toBe('FAILED');
    expect(attemptsOf(e, 'mail')).toBe(1);
    expect(smtp.refused).toContain(SMTP.user);
    const logs = await logsOf(e.id);
    expect(logs).toContain('check username and password');
    expect(logs).not.toContain(WRONG_PASSWORD);
    expect(server.output()).not.toContain(WRONG_PASSWORD);
  });

  it('an unreachable server is retried and the error says what to check', async () => {
    await deployFlow(
      server,
      `id: no_server
namespace: ${NS}
tasks:
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailSend
    host: 127.0.0.1
    port: 1
    transportStrategy: SMTP
    from: baton@example.com
    to: ops@example.com
    subject: never
    retry: { type: constant, interval: PT0.1S, maxAttempts: 2 }
`,
    );
    const e = await run('no_server');
    expect(attemptsOf(e, 'mail')).toBe(2);
    expect(await logsOf(e.id)).toContain('check host, port and transportStrategy');
  });

  it('SMTPS speaks TLS from the start; an untrusted certificate fails at once, trustedHosts accepts it', async () => {
    const tls = await startSmtpServer({ ...SMTP, secure: true });
    try {
      const task = (id: string, extra: string) => `  - id: ${id}
    type: io.kestra.plugin.notifications.mail.MailSend
    host: 127.0.0.1
    port: ${tls.port}
    username: "{{ secret('EMAIL_USERNAME') }}"
    password: "{{ secret('EMAIL_PASSWORD') }}"
    from: baton@example.com
    to: ops@example.com
    subject: ${id}
    plainTextContent: over TLS
${extra}`;
      await deployFlow(
        server,
        `id: smtps
namespace: ${NS}
tasks:
${task('untrusted', '    retry: { type: constant, interval: PT0.1S, maxAttempts: 3 }\n    allowFailure: true\n')}
${task('trusted', '    trustedHosts: [127.0.0.1]\n')}`,
      );
      const e = await run('smtps');
      expect(e.taskRunList.map((t) => [t.taskId, t.state.current])).toEqual([
        ['untrusted', 'WARNING'], // failed, allowed to
        ['trusted', 'SUCCESS'],
      ]);
      expect(attemptsOf(e, 'untrusted')).toBe(1);
      expect(await logsOf(e.id)).toContain('TLS certificate is not trusted');
      expect(tls.mails.map((m) => [m.mail.subject, m.secure, m.user])).toEqual([
        ['trusted', true, SMTP.user],
      ]);
    } finally {
      await tls.close();
    }
  });

  it('MailExecution in the errors branch mails the summary of the failed execution', async () => {
    await deployFlow(
      server,
      `id: mailed_failure
namespace: ${NS}
tasks:
  - id: boom
    type: io.kestra.plugin.core.execution.Fail
errors:
  - id: mail
    type: io.kestra.plugin.notifications.mail.MailExecution
${smtpProps('EMAIL_PASSWORD')}
    to: ops@example.com
    customFields: { team: data }
`,
    );
    const e = await run('mailed_failure');
    expect(e.state.current).toBe('FAILED');
    const subject = `[${NS}] mailed_failure ➛ FAILED`;
    const { mail } = await eventually(
      async () => smtp.mails.find((m) => m.mail.subject === subject),
      'the summary e-mail',
    );
    expect(mail.text).toContain(`Execution ID: ${e.id}`);
    expect(mail.text).toContain('Failed task: boom');
    expect(mail.text).toContain('team: data');
    expect(mail.html).toContain(`<a href="${BATON_URL}/ui/executions/${NS}/mailed_failure/${e.id}">`);
  });
});
