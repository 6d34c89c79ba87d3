/** SlackIncomingWebhook: posts `payload` (or `{"text": messageText}`); no outputs, as Kestra's. */
import type { RunFunction } from '../context.ts';
import type { HttpProps } from '../http/client.run.ts';
import { TaskError } from '../types.ts';
import { postWebhook } from './webhook.ts';

interface Props {
  url: string;
  payload?: unknown;
  messageText?: string;
  options?: HttpProps['options'];
}

export const run: RunFunction<Props> = async (ctx, p) => {
  const payload = p.messageText !== undefined ? { text: p.messageText } : p.payload;
  if (payload === undefined || payload === null || payload === '')
    throw new TaskError('Slack: give the message, as `payload` (JSON) or `messageText`', {
      retryable: false,
    });
  await postWebhook(ctx, { url: p.url, payload, service: 'Slack', options: p.options });
  ctx.logger.info('Slack message posted');
  return { outputs: {} };
};
