/** `baton validate PATH...`: every error of every flow file, exit 1 if any flow is invalid. */
import { formatFlowError, loadFlowPaths } from '../flow/index.ts';
import { parse } from './args.ts';

export const main = async (argv: string[]): Promise<number> => {
  const { positionals, values } = parse(argv, { quiet: { type: 'boolean', short: 'q' } });
  if (positionals.length === 0) {
    console.error('usage: baton validate PATH... (flow files or folders)');
    return 2;
  }
  const results = loadFlowPaths(positionals);
  let invalid = 0;
  for (const r of results) {
    if (r.errors.length > 0) {
      invalid++;
      for (const e of r.errors) console.error(formatFlowError(e));
    } else if (!values.quiet && r.flow) {
      const tasks = r.flow.tasks.length;
      console.log(
        `${r.file}: ${r.flow.namespace}.${r.flow.id} is valid (${tasks} top-level task${tasks === 1 ? '' : 's'})`,
      );
    }
  }
  if (results.length === 0) {
    console.error('no flow files (*.yaml, *.yml) found');
    return 2;
  }
  console.log(`${results.length - invalid} valid, ${invalid} invalid`);
  return invalid > 0 ? 2 : 0; // 2: invalid flows (see errors.ts)
};
