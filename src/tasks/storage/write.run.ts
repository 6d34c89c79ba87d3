/** storage.Write: writes `content` to a new internal-storage file; outputs `uri`. */
import { newId } from '../../util/ids.ts';
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';

export const run: RunFunction<{ content: unknown; extension?: string }> = async (ctx, props) => {
  const content = typeof props.content === 'string' ? props.content : JSON.stringify(props.content);
  return { outputs: { uri: await saveStorageFile(ctx, `${newId()}${props.extension ?? '.ion'}`, content) } };
};
