/** storage.Size: outputs `size`, the size in bytes of the file at `uri`. */
import type { RunFunction } from '../context.ts';

export const run: RunFunction<{ uri: string }> = async (ctx, props) => ({
  outputs: { size: await ctx.storage.size(props.uri) },
});
