/**
 * git.SyncFlows: deploys the flow files of a Git branch to a namespace, Git being the source of truth.
 * Every file is read and validated before anything changes (one invalid file, nothing deployed), then
 * the plan (ADDED / UPDATED / UNCHANGED / DELETED) is applied through `ctx.flows`, unless `dryRun`.
 * The clone goes to a temporary folder, removed afterwards.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import type { Flow } from '../../flow/types.ts';
import { formatFlowError } from '../../flow/types.ts';
import type { StoredFlow } from '../../store/types.ts';
import type { RunFunction } from '../context.ts';
import { saveStorageFile } from '../files.ts';
import { TaskError } from '../types.ts';
import { type CloneOptions, cloneInto, maskCredentials, openGit } from './git.run.ts';

interface SyncProps extends Omit<CloneOptions, 'dir' | 'tag' | 'commit' | 'depth'> {
  targetNamespace: string;
  gitDirectory?: string;
  includeChildNamespaces?: boolean;
  delete?: boolean;
  dryRun?: boolean;
  ignoreInvalidFlows?: boolean;
}

type SyncState = 'ADDED' | 'UPDATED' | 'DELETED' | 'UNCHANGED';

interface SyncRow {
  gitPath?: string;
  syncState: SyncState;
  flowId: string;
  namespace: string;
  revision: number;
}

interface GitFlow {
  gitPath: string;
  source: string;
  flow: Flow;
}

const FLOW_FILE = /\.ya?ml$/i;
/** Kestra's rewrite: the first top-level `namespace:` line gets the target namespace. */
const NAMESPACE_LINE = /^namespace:.*$/m;

/** Flow files of `dir` (relative paths, `/`-separated), sub-folders included when `deep`. */
const flowFiles = async (dir: string, deep: boolean, prefix = ''): Promise<string[]> => {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && deep) out.push(...(await flowFiles(dir, deep, rel)));
    else if (entry.isFile() && FLOW_FILE.test(entry.name)) out.push(rel);
  }
  return out.sort();
};

/** The namespace of a file: the target, plus one level per sub-folder. */
const namespaceOf = (target: string, rel: string): string => {
  const folder = posix.dirname(rel);
  return folder === '.' ? target : `${target}.${folder.split('/').join('.')}`;
};

export const run: RunFunction<SyncProps> = async (ctx, props) => {
  const target = props.targetNamespace;
  const gitDirectory = (props.gitDirectory ?? '_flows').replace(/^\/+|\/+$/g, '');
  const deep = props.includeChildNamespaces ?? false;
  const clone = await mkdtemp(join(tmpdir(), 'baton-sync-'));
  const git = await openGit(ctx, props);
  try {
    const branch = props.branch ?? 'main';
    ctx.logger.info(
      `reading flows of ${maskCredentials(props.url, props)} (branch ${branch}) in ${gitDirectory || '/'}`,
    );
    await cloneInto(ctx, git, { ...props, branch, dir: clone, depth: 1 });
    const root = join(clone, gitDirectory);
    if (!(await stat(root).catch(() => undefined))?.isDirectory())
      throw new TaskError(`gitDirectory '${gitDirectory}' is not a folder of branch ${branch}`, {
        retryable: false,
      });

    // 1. Read and validate everything before changing anything.
    const inGit: GitFlow[] = [];
    const problems: string[] = [];
    for (const rel of await flowFiles(root, deep)) {
      const gitPath = gitDirectory ? `${gitDirectory}/${rel}` : rel;
      const written = await readFile(join(root, rel), 'utf8');
      const namespace = namespaceOf(target, rel);
      const source = (
        NAMESPACE_LINE.test(written) ? written.replace(NAMESPACE_LINE, `namespace: ${namespace}`) : written
      ).trimEnd();
      const { flow, errors } = ctx.flows.check(source, gitPath);
      if (!flow) {
        const text = errors.map(formatFlowError).join('; ');
        if (props.ignoreInvalidFlows) ctx.logger.warn(`skipped invalid flow file ${text}`);
        else problems.push(text);
        continue;
      }
      const twin = inGit.find((g) => g.flow.namespace === flow.namespace && g.flow.id === flow.id);
      if (twin)
        problems.push(`${gitPath}: flow ${flow.namespace}.${flow.id} is also defined by ${twin.gitPath}`);
      else inGit.push({ gitPath, source, flow });
    }
    if (problems.length > 0)
      throw new TaskError(`invalid flows in Git, nothing was synced: ${problems.join('; ')}`, {
        retryable: false,
      });

    // 2. The plan.
    const existing = await ctx.flows.list(target, { children: deep });
    const live = new Map(existing.map((f) => [`${f.namespace}\u0000${f.id}`, f]));
    const rows: SyncRow[] = [];
    const saves: { item: GitFlow; row: SyncRow }[] = [];
    for (const item of inGit) {
      const before = live.get(`${item.flow.namespace}\u0000${item.flow.id}`);
      const syncState: SyncState = !before
        ? 'ADDED'
        : before.source === item.source
          ? 'UNCHANGED'
          : 'UPDATED';
      const row: SyncRow = {
        gitPath: item.gitPath,
        syncState,
        flowId: item.flow.id,
        namespace: item.flow.namespace,
        revision: before ? before.revision + (syncState === 'UPDATED' ? 1 : 0) : 1,
      };
      rows.push(row);
      if (syncState !== 'UNCHANGED') saves.push({ item, row });
    }
    const deletes: StoredFlow[] = [];
    if (props.delete) {
      const keep = new Set(inGit.map((g) => `${g.flow.namespace}\u0000${g.flow.id}`));
      for (const f of existing) {
        if (keep.has(`${f.namespace}\u0000${f.id}`)) continue;
        // The flow running this sync is never deleted by it (as in Kestra).
        if (f.namespace === ctx.flow.namespace && f.id === ctx.flow.id) continue;
        deletes.push(f);
        rows.push({ syncState: 'DELETED', flowId: f.id, namespace: f.namespace, revision: f.revision });
      }
    }

    // 3. Apply.
    if (!props.dryRun) {
      for (const { item, row } of saves) row.revision = (await ctx.flows.save(item.source)).stored.revision;
      for (const f of deletes) await ctx.flows.delete(f.namespace, f.id);
    }
    for (const row of rows)
      if (row.syncState !== 'UNCHANGED')
        ctx.logger.info(
          `${props.dryRun ? '[dry run] ' : ''}${row.syncState} ${row.namespace}.${row.flowId}${row.gitPath ? ` (${row.gitPath})` : ''}`,
        );
    const count = (s: SyncState) => rows.filter((r) => r.syncState === s).length;
    ctx.logger.info(
      `${props.dryRun ? 'dry run: ' : ''}${count('ADDED')} added, ${count('UPDATED')} updated, ${count('DELETED')} deleted, ${count('UNCHANGED')} unchanged`,
    );
    // JSON is valid Ion: one row per line, as Kestra's ION file.
    const text = rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
    return { outputs: { flows: await saveStorageFile(ctx, 'flows.ion', text) } };
  } finally {
    await git.dispose();
    await rm(clone, { recursive: true, force: true });
  }
};
