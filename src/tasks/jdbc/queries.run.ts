/** jdbc.*.Queries: every statement of `sql`; outputs `outputs`, one per result set (see execute.ts). */
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { runQueries, type SqlProps } from './execute.ts';

export const run: RunFunction<SqlProps> = async (ctx, props) => {
  let stored = 0;
  const outputs = await runQueries(props, {
    workingDir: ctx.workingDir,
    // One file per result set: numbered so that two stored statements do not overwrite each other.
    store: (ion) => saveStorageFile(ctx, `result-${++stored}.ion`, ion),
    debug: (m) => ctx.logger.debug(m),
  });
  ctx.metric(
    'fetch.size',
    outputs.reduce((n, o) => n + (o.size ?? 0), 0),
  );
  return { outputs: { outputs } };
};
