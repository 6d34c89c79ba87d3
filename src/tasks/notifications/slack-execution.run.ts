/**
 * SlackExecution: a message summarising an execution (see ./execution-summary.ts), as a Slack message
 * with a coloured attachment of fields; the title links to the execution when BATON_URL is set.
 */
import type { RunFunction } from '../context.ts';
import type { HttpProps } from '../http/client.run.ts';
import {
  colourOf,
  type ExecutionSummary,
  factsOf,
  readExecution,
  summarise,
  titleOf,
} from './execution-summary.ts';
import { postWebhook } from './webhook.ts';

interface Props {
  url: string;
  channel?: string;
  username?: string;
  iconUrl?: string;
  iconEmoji?: string;
  executionId?: string;
  customMessage?: string;
  customFields?: Record<string, unknown>;
  options?: HttpProps['options'];
}

/** Slack's mrkdwn treats `&`, `<` and `>` as markup: escaped in values that are not links. */
const mrkdwn = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

export const slackMessage = (s: ExecutionSummary, p: Props): Record<string, unknown> => {
  const title = mrkdwn(titleOf(s));
  const text = [
    s.link ? `<${s.link}|${title}>` : title,
    p.customMessage ? mrkdwn(p.customMessage) : undefined,
  ]
    .filter((line) => line !== undefined)
    .join('\n');
  return {
    ...(p.channel ? { channel: p.channel } : {}),
    ...(p.username ? { username: p.username } : {}),
    ...(p.iconUrl ? { icon_url: p.iconUrl } : {}),
    ...(p.iconEmoji ? { icon_emoji: p.iconEmoji } : {}),
    text,
    attachments: [
      {
        color: colourOf(s.state),
        fallback: titleOf(s),
        fields: factsOf(s, p.customFields).map(([title, value]) => ({
          title,
          value: mrkdwn(value),
          short: value.length <= 40,
        })),
      },
    ],
  };
};

export const run: RunFunction<Props> = async (ctx, p) => {
  const execution = await readExecution(ctx, p.executionId);
  const payload = slackMessage(summarise(ctx, execution), p);
  await postWebhook(ctx, { url: p.url, payload, service: 'Slack', options: p.options });
  ctx.logger.info(`Slack message about execution ${execution.id} posted`);
  return { outputs: {} };
};
