/** Rows of the `dead_letters` table as both backends read them, and their mapping. */
import type { DeadLetter, QueueName } from '../types.ts';

export interface DeadLetterRow {
  /** Numbers on SQLite, strings (bigint) on PostgreSQL. */
  id: number | string;
  message_id: number | string;
  queue: QueueName;
  execution_id: string;
  payload: string;
  attempts: number;
  error: string;
  failed_at: string;
}

/** The payload as stored: JSON when it parses, else the text (a corrupted row is kept as it was). */
const parse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

export const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  id: Number(r.id),
  messageId: Number(r.message_id),
  queue: r.queue,
  executionId: r.execution_id,
  payload: parse(r.payload),
  attempts: Number(r.attempts),
  error: r.error,
  failedAt: r.failed_at,
});
