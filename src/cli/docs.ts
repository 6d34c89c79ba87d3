/** `baton docs [TYPE]`: documentation of a task, trigger or condition type, or the list of all types. */
import { describeType } from '../tasks/docs.ts';
import { findDefinition, listDefinitions } from '../tasks/registry.ts';

export const main = async (argv: string[]): Promise<number> => {
  const name = argv[0];
  if (!name) {
    for (const kind of ['flowable', 'runnable', 'trigger', 'condition'] as const) {
      console.log(`${kind}:`);
      for (const d of listDefinitions(kind)) {
        const mark = d.since ? ` (Kestra ${d.since})` : '';
        console.log(`  ${d.type.padEnd(58)} ${d.title}${mark}`);
      }
    }
    return 0;
  }
  if (!findDefinition(name)) {
    const near = listDefinitions().filter((d) => d.type.toLowerCase().includes(name.toLowerCase()));
    console.error(
      `unknown type '${name}'${near.length ? `; did you mean: ${near.map((d) => d.type).join(', ')}` : ''}`,
    );
    return 2;
  }
  console.log(describeType(name));
  return 0;
};
