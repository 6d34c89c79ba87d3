/**
 * Kestra's `serdeType` for broker messages: STRING keeps the body as text, JSON parses it (and
 * serialises what is published). BYTES (MQTT) keeps the body as base64 text, the form a flow can carry.
 */
import { TaskError } from '../types.ts';

export const SERDE_TYPES = ['STRING', 'JSON'] as const;
export type SerdeType = 'STRING' | 'JSON' | 'BYTES';

/** The body to send for `value`. */
export const serialize = (value: unknown, serde: SerdeType = 'STRING'): Buffer => {
  if (serde === 'BYTES') return Buffer.from(String(value ?? ''), 'base64');
  if (serde === 'JSON') return Buffer.from(JSON.stringify(value ?? null), 'utf8');
  // STRING: text as is; anything else as its JSON text rather than "[object Object]".
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value ?? null), 'utf8');
};

/** The value of a received body. A JSON body that does not parse is an error naming the serde. */
export const deserialize = (body: Buffer, serde: SerdeType = 'STRING'): unknown => {
  if (serde === 'BYTES') return body.toString('base64');
  const text = body.toString('utf8');
  if (serde !== 'JSON') return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TaskError(
      `a message is not JSON (serdeType: JSON): ${(error as Error).message}; use serdeType: STRING to read it as text`,
      { retryable: false },
    );
  }
};
