/**
 * Notifications: Slack and Microsoft Teams incoming webhooks and e-mail (SMTP), each as a message of
 * the flow's own or as a summary of an execution. Implementations: `*.run.ts` beside this file.
 */
import type { TaskDefinition } from '../types.ts';
import { mailExecution, mailSend } from './mail.ts';
import { slackExecution, slackIncomingWebhook, teamsExecution, teamsIncomingWebhook } from './webhooks.ts';

export const notificationDefinitions: TaskDefinition[] = [
  slackIncomingWebhook,
  slackExecution,
  teamsIncomingWebhook,
  teamsExecution,
  mailSend,
  mailExecution,
];
