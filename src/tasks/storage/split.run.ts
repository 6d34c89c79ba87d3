/**
 * storage.Split: splits a text file by lines into parts of `rows` lines, into `partitions` parts (rows
 * dealt round-robin), or into parts of at most `bytes` (e.g. `10MB`, whole lines); outputs `uris`.
 */
import { extname } from 'node:path';
import type { RunFunction } from '../context.ts';
import { readStorageFile, saveStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

export const parseBytes = (text: string): number => {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?B)?\s*$/i.exec(text);
  if (!m)
    throw new TaskError(`Split: invalid size '${text}', expected e.g. 500KB or 10MB`, { retryable: false });
  return Math.floor(Number(m[1]) * (UNITS[(m[2] ?? 'B').toUpperCase()] ?? 1));
};

export const run: RunFunction<{
  from: string;
  bytes?: string;
  partitions?: number;
  rows?: number;
  separator?: string;
}> = async (ctx, props) => {
  const chosen = [props.bytes, props.partitions, props.rows].filter((v) => v !== undefined && v !== null);
  if (chosen.length !== 1) {
    throw new TaskError('Split: set exactly one of `bytes`, `partitions` or `rows`', { retryable: false });
  }
  const separator = props.separator ?? '\n';
  const text = (await readStorageFile(ctx, props.from)).toString('utf8');
  const lines = text.split(separator);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop(); // trailing separator ends the last line
  const parts: string[][] = [];
  if (props.rows !== undefined && props.rows !== null) {
    for (let i = 0; i < lines.length; i += props.rows) parts.push(lines.slice(i, i + props.rows));
  } else if (props.partitions !== undefined && props.partitions !== null) {
    for (let p = 0; p < props.partitions; p++) parts.push([]);
    lines.forEach((line, i) => {
      parts[i % props.partitions!]!.push(line);
    });
  } else {
    const max = parseBytes(String(props.bytes));
    let current: string[] = [];
    let size = 0;
    for (const line of lines) {
      const n = Buffer.byteLength(line + separator);
      if (current.length > 0 && size + n > max) {
        parts.push(current);
        current = [];
        size = 0;
      }
      current.push(line);
      size += n;
    }
    if (current.length > 0) parts.push(current);
  }
  const ext = extname(props.from) || '.tmp';
  const uris: string[] = [];
  for (const [i, part] of parts.entries()) {
    if (part.length === 0) continue;
    uris.push(await saveStorageFile(ctx, `split-${i}${ext}`, part.map((l) => l + separator).join('')));
  }
  return { outputs: { uris } };
};
