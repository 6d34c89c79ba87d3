/** `baton schema`: the JSON Schema of a flow document, for editors (VS Code's YAML extension...). */
import { flowJsonSchema } from '../flow/index.ts';

export const main = async (): Promise<number> => {
  process.stdout.write(`${JSON.stringify(flowJsonSchema(), null, 2)}\n`);
  return 0;
};
