/** storage.Reverse: writes the lines of `from` in reverse order to a new file; outputs `uri`. */
import { extname } from 'node:path';
import type { RunFunction } from '../context.ts';
import { readStorageFile, saveStorageFile } from '../files.ts';

export const run: RunFunction<{ from: string; separator?: string; charset?: string }> = async (
  ctx,
  props,
) => {
  const separator = props.separator ?? '\n';
  const encoding = (props.charset ?? 'UTF-8').toLowerCase().replace('-', '') === 'utf8' ? 'utf8' : 'latin1';
  const lines = (await readStorageFile(ctx, props.from)).toString(encoding).split(separator);
  if (lines.at(-1) === '') lines.pop(); // a trailing separator ends the last line, it starts no new one
  const content = lines
    .reverse()
    .map((l) => `${l}${separator}`)
    .join('');
  const uri = await saveStorageFile(
    ctx,
    `reversed${extname(props.from) || '.tmp'}`,
    Buffer.from(content, encoding),
  );
  return { outputs: { uri } };
};
