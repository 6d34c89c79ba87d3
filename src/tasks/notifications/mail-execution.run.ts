/**
 * MailExecution: an e-mail summarising an execution (see ./execution-summary.ts), as an HTML table of
 * its facts with a plain-text twin; the subject defaults to `[namespace] flow ➛ STATE`.
 */
import type { RunFunction } from '../context.ts';
import { type ExecutionSummary, factsOf, readExecution, summarise, titleOf } from './execution-summary.ts';
import { type SmtpProps, sendMail } from './smtp.ts';

interface Props extends SmtpProps {
  executionId?: string;
  customMessage?: string;
  customFields?: Record<string, unknown>;
}

const html = (text: string): string =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

export const mailBodies = (s: ExecutionSummary, p: Props): { html: string; text: string } => {
  const facts = factsOf(s, p.customFields);
  const rows = facts
    .map(([name, value]) => {
      const shown = name === 'Link' ? `<a href="${html(value)}">${html(value)}</a>` : html(value);
      return `<tr><th align="left">${html(name)}</th><td>${shown}</td></tr>`;
    })
    .join('');
  const message = p.customMessage ? `<p>${html(p.customMessage)}</p>` : '';
  return {
    html: `<h2>${html(titleOf(s))}</h2>${message}<table>${rows}</table>`,
    text: [titleOf(s), p.customMessage, '', ...facts.map(([n, v]) => `${n}: ${v}`)]
      .filter((line) => line !== undefined)
      .join('\n'),
  };
};

export const run: RunFunction<Props> = async (ctx, p) => {
  const execution = await readExecution(ctx, p.executionId);
  const summary = summarise(ctx, execution);
  await sendMail(ctx, p, { subject: p.subject ?? titleOf(summary), ...mailBodies(summary, p) });
  ctx.logger.info(`E-mail about execution ${execution.id} sent`);
  return { outputs: {} };
};
