/** TeamsIncomingWebhook: posts `payload`; no outputs, as Kestra's. */
import type { RunFunction } from '../context.ts';
import type { HttpProps } from '../http/client.run.ts';
import { postWebhook } from './webhook.ts';

interface Props {
  url: string;
  payload: unknown;
  options?: HttpProps['options'];
}

export const run: RunFunction<Props> = async (ctx, p) => {
  await postWebhook(ctx, { url: p.url, payload: p.payload, service: 'Microsoft Teams', options: p.options });
  ctx.logger.info('Microsoft Teams message posted');
  return { outputs: {} };
};
