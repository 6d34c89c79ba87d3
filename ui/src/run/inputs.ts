/**
 * The run form's model, from a flow's declared inputs: the field each input type gets, its starting
 * value (the input's `defaults`), the checks made before sending (the server checks again, and its
 * messages are put next to their fields too), and the multipart body of `POST /executions/{ns}/{id}`.
 * Pure: no React here.
 */
import type { FlowInput, InputType } from '../api/types.ts';

/** A field's value: text for most types, a flag, chosen values, or a file. */
export type FieldValue = string | boolean | string[] | File | null;

export type Values = Record<string, FieldValue>;

/** Inputs of old flows use `name` instead of `id`. */
export const inputId = (input: FlowInput): string => input.id ?? (input as { name?: string }).name ?? '';

/** Whether the input must be given: required unless `required: false`, and not when it has defaults. */
export const isRequired = (input: FlowInput): boolean =>
  input.required !== false && (input.defaults === undefined || input.defaults === null);

export const isExpression = (v: unknown): boolean => typeof v === 'string' && v.includes('{{');

/** The choices of ENUM, SELECT and MULTISELECT (a list; an expression gives none here). */
export const choicesOf = (input: FlowInput): string[] => {
  const values = input.values ?? input.options;
  return Array.isArray(values) ? values.map(String) : [];
};

const textOf = (v: unknown): string => {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, null, 2);
};

/** `2024-05-01T10:00:00Z` as a datetime-local field shows it (local time, minutes). */
export const toLocalDateTime = (iso: string): string => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/** The value a field starts with: the input's defaults (an expression is left to the server). */
export const initialValue = (input: FlowInput): FieldValue => {
  const d = input.defaults ?? input.prefill;
  switch (input.type) {
    case 'BOOLEAN':
    case 'BOOL':
      return d === true || d === 'true';
    case 'MULTISELECT':
      return Array.isArray(d) ? d.map(String) : [];
    case 'ARRAY':
      return Array.isArray(d) ? d.map(textOf).join('\n') : textOf(d);
    case 'FILE':
      return null;
    case 'DATETIME':
      return typeof d === 'string' && !isExpression(d) ? toLocalDateTime(d) : textOf(d);
    default:
      return textOf(d);
  }
};

export const initialValues = (inputs: readonly FlowInput[]): Values =>
  Object.fromEntries(inputs.map((i) => [inputId(i), initialValue(i)]));

const isEmpty = (v: FieldValue): boolean => v === null || v === '' || (Array.isArray(v) && v.length === 0);

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DURATION = /^[-+]?P(?!$)(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+([.,]\d+)?S)?)?$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?$/;

const numberCheck = (input: FlowInput, text: string, pattern: RegExp, what: string): string | undefined => {
  if (!pattern.test(text.trim())) return `must be ${what}`;
  const n = Number(text);
  if (input.min !== undefined && n < Number(input.min)) return `must be at least ${input.min}`;
  if (input.max !== undefined && n > Number(input.max)) return `must be at most ${input.max}`;
  return undefined;
};

const textCheck = (type: InputType, input: FlowInput, text: string): string | undefined => {
  switch (type) {
    case 'INT':
      return numberCheck(input, text, INT, 'a whole number');
    case 'FLOAT':
      return numberCheck(input, text, FLOAT, 'a number');
    case 'EMAIL':
      return EMAIL.test(text) ? undefined : 'must be an email address';
    case 'URI':
      return URL.canParse(text) ? undefined : 'must be a URI (https://example.com/...)';
    case 'JSON':
      try {
        JSON.parse(text);
        return undefined;
      } catch {
        return 'must be valid JSON';
      }
    case 'DURATION':
      return DURATION.test(text) ? undefined : 'must be an ISO-8601 duration (PT5M, P1DT2H)';
    case 'DATE':
      return DATE.test(text) ? undefined : 'must be a date (YYYY-MM-DD)';
    case 'TIME':
      return TIME.test(text) ? undefined : 'must be a time (HH:MM or HH:MM:SS)';
    case 'DATETIME':
      return Number.isNaN(new Date(text).getTime()) ? 'must be a date and time' : undefined;
    case 'STRING':
    case 'SECRET': {
      if (input.minLength !== undefined && text.length < input.minLength)
        return `must be at least ${input.minLength} characters`;
      if (input.maxLength !== undefined && text.length > input.maxLength)
        return `must be at most ${input.maxLength} characters`;
      if (input.validator) {
        try {
          if (!new RegExp(`^(?:${input.validator})$`).test(text)) return `must match ${input.validator}`;
        } catch {
          // a pattern the browser cannot read: the server judges
        }
      }
      return undefined;
    }
    case 'ENUM':
    case 'SELECT': {
      const choices = choicesOf(input);
      if (choices.length > 0 && !input.allowCustomValue && !choices.includes(text))
        return `must be one of ${choices.join(', ')}`;
      return undefined;
    }
    default:
      return undefined;
  }
};

/** The message for a field's value, or undefined when it may be sent. */
export const checkValue = (input: FlowInput, value: FieldValue): string | undefined => {
  if (isEmpty(value) || value === false) {
    if (value === false) return undefined;
    return isRequired(input) ? 'is required' : undefined;
  }
  if (value instanceof File) {
    const ext = input.extension;
    if (ext && !value.name.toLowerCase().endsWith(ext.toLowerCase())) return `must be a ${ext} file`;
    return undefined;
  }
  if (typeof value !== 'string') return undefined;
  // An expression (from the defaults) is the server's to render.
  if (isExpression(value)) return undefined;
  if (input.type === 'ARRAY') {
    const itemType = input.itemType ?? 'STRING';
    for (const item of value.split('\n').filter((l) => l.trim() !== '')) {
      const problem = textCheck(itemType, input, item);
      if (problem) return `item '${item}' ${problem}`;
    }
    return undefined;
  }
  return textCheck(input.type, input, value);
};

/** Every field's message (only the fields with one). */
export const checkValues = (inputs: readonly FlowInput[], values: Values): Record<string, string> => {
  const errors: Record<string, string> = {};
  for (const input of inputs) {
    const id = inputId(input);
    const problem = checkValue(input, values[id] ?? null);
    if (problem) errors[id] = problem;
  }
  return errors;
};

/**
 * The multipart body: one part per input given, repeated for lists, files as files. A field left at its
 * defaults is not sent: the server applies the defaults itself (and renders an expression there).
 */
export const toFormData = (inputs: readonly FlowInput[], values: Values): FormData => {
  const form = new FormData();
  for (const input of inputs) {
    const id = inputId(input);
    const value = values[id] ?? null;
    const initial = initialValue(input);
    if (value === null || isEmpty(value)) continue;
    if (value instanceof File) {
      form.append(id, value, value.name);
      continue;
    }
    if (JSON.stringify(value) === JSON.stringify(initial) && input.defaults !== undefined) continue;
    if (typeof value === 'boolean') form.append(id, String(value));
    else if (Array.isArray(value)) for (const v of value) form.append(id, v);
    else if (input.type === 'ARRAY')
      for (const item of value.split('\n').filter((l) => l.trim() !== '')) form.append(id, item.trim());
    else if (input.type === 'DATETIME' && !isExpression(value))
      form.append(id, new Date(value).toISOString());
    else form.append(id, value);
  }
  return form;
};

/** The server's input errors (`Invalid input for \`id\`, ...`, one a line) by input id. */
export const serverErrors = (message: string): Record<string, string> => {
  const errors: Record<string, string> = {};
  for (const line of message.split('\n')) {
    const m = /Invalid input for `([^`]+)`[,:]\s*(.*)$/.exec(line);
    if (m?.[1]) errors[m[1]] = m[2] ?? line;
  }
  return errors;
};
