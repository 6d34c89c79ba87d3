/**
 * The server's structured log (pino). `json`: one JSON object per line, for log shippers. `text` (the
 * default on a terminal): `HH:MM:SS.mmm LEVEL message key=value...`, the same records made readable.
 */
import { type Logger, pino } from 'pino';

export type LogFormat = 'text' | 'json';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const SKIP = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

const textLine = (json: string): string => {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = new Date(Number(record.time)).toISOString().slice(11, 23);
  const level = (LEVELS[Number(record.level)] ?? String(record.level)).padEnd(5);
  const rest = Object.entries(record)
    .filter(([k]) => !SKIP.has(k))
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${time} ${level} ${String(record.msg ?? '')}${rest ? ` ${rest}` : ''}\n`;
};

export const createLogger = (
  format: LogFormat,
  options: { level?: string; write?: (line: string) => void } = {},
): Logger => {
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const stream = { write: (line: string) => write(format === 'json' ? line : textLine(line)) };
  return pino({ level: options.level ?? 'info', base: undefined }, stream);
};
