/** http.Download: saves the response body to internal storage; outputs `uri`, `code`, `length`, `headers`. */
import { basename } from 'node:path';
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';
import { type HttpProps, send } from './client.run.ts';

const fileName = (props: HttpProps & { saveAs?: string }, headers: Record<string, string[]>): string => {
  if (props.saveAs) return basename(props.saveAs);
  const disposition = headers['content-disposition']?.[0];
  const m = disposition ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition) : null;
  if (m?.[1]) return basename(decodeURIComponent(m[1]));
  const last = basename(new URL(props.uri).pathname);
  return last || 'download';
};

export const run: RunFunction<HttpProps & { failOnEmptyResponse?: boolean; saveAs?: string }> = async (
  ctx,
  props,
) => {
  const res = await send(ctx, props);
  if (res.body.length === 0 && (props.failOnEmptyResponse ?? true)) {
    throw new TaskError(`No response from server (empty body from ${props.uri})`);
  }
  const uri = await saveStorageFile(ctx, fileName(props, res.headers), res.body);
  return { outputs: { uri, code: res.code, length: res.body.length, headers: res.headers } };
};
