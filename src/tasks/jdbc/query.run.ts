/** jdbc.*.Query: one statement; outputs `row`/`rows`/`uri` and `size` by `fetchType` (see execute.ts). */
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { fetchTypeOf, runQuery, type SqlProps } from './execute.ts';

export const run: RunFunction<SqlProps> = async (ctx, props) => {
  const outputs = await runQuery(props, {
    workingDir: ctx.workingDir,
    store: (ion) => saveStorageFile(ctx, 'result.ion', ion),
    debug: (m) => ctx.logger.debug(m),
  });
  if (outputs.size !== undefined) ctx.metric('fetch.size', outputs.size);
  // As Kestra: NONE outputs nothing.
  return { outputs: fetchTypeOf(props) === 'NONE' ? {} : { ...outputs } };
};
