/** git.Clone: clones a repository into the task's working folder (or `directory` under it). */
import type { RunFunction } from '../context.ts';
import { insideWorkingDir } from '../scripts/files.run.ts';
import { type CloneOptions, cloneInto, maskCredentials, openGit } from './git.run.ts';

export interface CloneProps extends Omit<CloneOptions, 'dir'> {
  directory?: string;
  privateKey?: string;
  passphrase?: string;
}

export const run: RunFunction<CloneProps> = async (ctx, props) => {
  const dir = props.directory ? insideWorkingDir(ctx, props.directory) : ctx.workingDir;
  const git = await openGit(ctx, props);
  try {
    const where = props.commit
      ? `commit ${props.commit}`
      : props.tag
        ? `tag ${props.tag}`
        : `branch ${props.branch ?? '(default)'}`;
    ctx.logger.info(`cloning ${maskCredentials(props.url, props)} (${where}) into ${dir}`);
    const { commit, branch } = await cloneInto(ctx, git, { ...props, dir, depth: props.depth ?? 1 });
    ctx.logger.info(`checked out ${commit}${branch ? ` on branch ${branch}` : ''}`);
    return { outputs: { directory: dir } };
  } finally {
    await git.dispose();
  }
};
