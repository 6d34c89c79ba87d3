/** MailSend: one e-mail with the flow's subject and bodies; no outputs, as Kestra's. */
import type { RunFunction } from '../context.ts';
import { type SmtpProps, sendMail } from './smtp.ts';

interface Props extends SmtpProps {
  htmlTextContent?: string;
  plainTextContent?: string;
}

export const run: RunFunction<Props> = async (ctx, p) => {
  await sendMail(ctx, p, { subject: p.subject, html: p.htmlTextContent, text: p.plainTextContent });
  ctx.logger.info(`E-mail "${p.subject ?? ''}" sent`);
  return { outputs: {} };
};
