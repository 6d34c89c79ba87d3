/**
 * A KV entry's value as the editor shows it (text, with a type) and as the API takes it (JSON text: the
 * server stores what the JSON parses as, so the type is kept: `"42"` is a string, `42` a number).
 */
import type { KvType } from '../api/operations.ts';

export const KV_TYPES: readonly KvType[] = ['STRING', 'NUMBER', 'BOOLEAN', 'JSON'];

/** The body of the PUT for the text typed as `type`, or why it is not a value of that type. */
export const kvBody = (type: KvType, text: string): { body: string } | { error: string } => {
  switch (type) {
    case 'STRING':
      return { body: JSON.stringify(text) };
    case 'NUMBER': {
      const n = Number(text.trim());
      return text.trim() !== '' && Number.isFinite(n) ? { body: String(n) } : { error: 'Not a number' };
    }
    case 'BOOLEAN':
      return text === 'true' || text === 'false' ? { body: text } : { error: 'true or false' };
    case 'JSON':
      try {
        JSON.parse(text);
        return { body: text };
      } catch {
        return { error: 'Not valid JSON' };
      }
  }
};

/** The editor's text for a stored value. */
export const kvText = (type: KvType, value: unknown): string =>
  type === 'STRING' ? String(value) : type === 'JSON' ? JSON.stringify(value, null, 2) : String(value);

/** A short view of a value for the list. */
export const kvPreview = (value: unknown, max = 60): string => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
};

/** Kestra's key rule (the server refuses others). */
export const isKvKey = (key: string): boolean => /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/.test(key);

/** An ISO-8601 duration such as PT1H or P1D (or empty: no expiry). */
export const isTtl = (ttl: string): boolean =>
  ttl === '' || /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/.test(ttl);
