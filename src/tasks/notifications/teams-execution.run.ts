/**
 * TeamsExecution: a MessageCard summarising an execution (see ./execution-summary.ts): its facts, the
 * custom message as text and, when BATON_URL is set, a button opening the execution.
 */
import type { RunFunction } from '../context.ts';
import type { HttpProps } from '../http/client.run.ts';
import {
  colourOf,
  type ExecutionSummary,
  factsOf,
  HEX_COLOURS,
  readExecution,
  summarise,
  titleOf,
} from './execution-summary.ts';
import { postWebhook } from './webhook.ts';

interface Props {
  url: string;
  activityTitle?: string;
  activitySubtitle?: string;
  themeColor?: string;
  executionId?: string;
  customMessage?: string;
  customFields?: Record<string, unknown>;
  options?: HttpProps['options'];
}

export const teamsCard = (s: ExecutionSummary, p: Props): Record<string, unknown> => ({
  '@type': 'MessageCard',
  '@context': 'http://schema.org/extensions',
  themeColor: (p.themeColor ?? HEX_COLOURS[colourOf(s.state)]).replace(/^#/, ''),
  summary: titleOf(s),
  sections: [
    {
      activityTitle: p.activityTitle ?? titleOf(s),
      ...(p.activitySubtitle ? { activitySubtitle: p.activitySubtitle } : {}),
      facts: factsOf(s, p.customFields).map(([name, value]) => ({ name, value })),
      ...(p.customMessage ? { text: p.customMessage } : {}),
      markdown: true,
    },
  ],
  ...(s.link
    ? {
        potentialAction: [
          { '@type': 'OpenUri', name: 'Open the execution', targets: [{ os: 'default', uri: s.link }] },
        ],
      }
    : {}),
});

export const run: RunFunction<Props> = async (ctx, p) => {
  const execution = await readExecution(ctx, p.executionId);
  const payload = teamsCard(summarise(ctx, execution), p);
  await postWebhook(ctx, { url: p.url, payload, service: 'Microsoft Teams', options: p.options });
  ctx.logger.info(`Microsoft Teams message about execution ${execution.id} posted`);
  return { outputs: {} };
};
