/**
 * The backfill form's fields turned into the API's backfill request: local date-times (what a
 * `datetime-local` field gives) as instants, inputs as a JSON object, labels as `key:value` items.
 */
import type { BackfillBody } from '../api/operations.ts';

export interface BackfillForm {
  /** `2026-11-26T10:00` in the browser's time zone. */
  start: string;
  /** Empty: up to now. */
  end: string;
  /** A JSON object of input values, or empty. */
  inputs: string;
  /** `key:value` items separated by commas or new lines, or empty. */
  labels: string;
}

export type Checked =
  | { body: BackfillBody; errors?: undefined }
  | { body?: undefined; errors: Record<string, string> };

const instant = (local: string): string | undefined => {
  const ms = Date.parse(local);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

export const backfillBody = (form: BackfillForm, now = Date.now()): Checked => {
  const errors: Record<string, string> = {};
  const start = form.start ? instant(form.start) : undefined;
  if (!start) errors.start = 'A start date is needed';
  const end = form.end ? instant(form.end) : undefined;
  if (form.end && !end) errors.end = 'Not a date';
  if (start && Date.parse(start) > now) errors.start = 'The start must be in the past';
  if (start && end && start > end) errors.end = 'The end must be after the start';
  let inputs: Record<string, unknown> | undefined;
  if (form.inputs.trim()) {
    try {
      const parsed = JSON.parse(form.inputs) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error();
      inputs = parsed as Record<string, unknown>;
    } catch {
      errors.inputs = 'A JSON object, e.g. {"name": "value"}';
    }
  }
  const labels: { key: string; value: string }[] = [];
  for (const item of form.labels
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean)) {
    const at = item.indexOf(':');
    if (at <= 0) errors.labels = `Not key:value: ${item}`;
    else labels.push({ key: item.slice(0, at).trim(), value: item.slice(at + 1).trim() });
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    body: {
      start: start!,
      ...(end ? { end } : {}),
      ...(inputs ? { inputs } : {}),
      ...(labels.length > 0 ? { labels } : {}),
    },
  };
};

/** A `datetime-local` value for an instant, in the browser's time zone (the form's defaults). */
export const localInput = (ms: number): string => {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};
