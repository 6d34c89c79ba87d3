/**
 * io.kestra.plugin.fs.local.RealtimeTrigger: watches a folder under the allowed paths (fs.watch) and
 * starts one execution per file event: CREATE, UPDATE or DELETE, filtered by `on`. A created or updated
 * file is reported once its size and modification time are the same at two looks `STABLE_MS` apart
 * (a file still being written is not), and copied to internal storage (`trigger.file.uri`).
 */
import { watch } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TriggerEvent, TriggerTypeContext } from '../../scheduler/registry.ts';
import { pause, renderTriggerProps } from '../../scheduler/trigger-support.ts';
import { checkAllowed } from './allowed.ts';
import { describeAndCopy, listFiles } from './files.ts';

/** Time between two looks at a changed file: a writer pausing less than this is still writing. */
const STABLE_MS = 500;

interface Props {
  from: string;
  recursive?: boolean;
  on?: 'CREATE' | 'UPDATE' | 'DELETE' | 'CREATE_OR_UPDATE';
  regExp?: string;
}

const sig = async (path: string) => {
  const s = await stat(path).catch(() => undefined);
  return s?.isFile() ? `${s.size}:${s.mtimeMs}` : undefined;
};

export const watchFolder = async (
  ctx: TriggerTypeContext,
  emit: (event: TriggerEvent) => Promise<void>,
  signal: AbortSignal,
): Promise<void> => {
  const p = renderTriggerProps<Props>(ctx, ['from', 'recursive', 'on', 'regExp']);
  const root = await checkAllowed(p.from, 'from');
  const on = p.on ?? 'CREATE_OR_UPDATE';
  const pattern = p.regExp ? new RegExp(p.regExp) : undefined;
  const wants = (kind: string) =>
    on === kind || (on === 'CREATE_OR_UPDATE' && (kind === 'CREATE' || kind === 'UPDATE'));
  // Files there at the start: an event on them is an UPDATE (or DELETE), not a CREATE.
  const known = new Map<string, string>();
  for (const f of await listFiles(root, p.recursive === true)) known.set(f.path, `${f.size}:${f.mtimeMs}`);

  const changed = new Set<string>();
  let wake: (() => void) | undefined;
  const watcher = watch(root, { recursive: p.recursive === true, signal }, (_event, name) => {
    if (name) changed.add(join(root, name.toString()));
    wake?.();
  });
  const failed = new Promise<never>((_, reject) => watcher.on('error', reject));
  failed.catch(() => undefined);
  try {
    while (!signal.aborted) {
      if (changed.size === 0)
        await Promise.race([
          new Promise<void>((r) => {
            wake = r;
            signal.addEventListener('abort', () => r(), { once: true });
          }),
          failed,
        ]);
      const batch = [...changed];
      changed.clear();
      for (const path of batch) {
        if (pattern && !pattern.test(path)) continue;
        const first = await sig(path);
        if (first === undefined) {
          if (known.delete(path) && wants('DELETE'))
            await emit({
              variables: { event: 'DELETE', file: { name: path.split('/').pop(), localPath: path, path } },
            });
          continue;
        }
        await pause(STABLE_MS, signal);
        if (signal.aborted) return;
        if ((await sig(path)) !== first) {
          changed.add(path); // still being written: looked at again
          continue;
        }
        if (known.get(path) === first) continue; // nothing new (an event on metadata only)
        const kind = known.has(path) ? 'UPDATE' : 'CREATE';
        known.set(path, first);
        if (!wants(kind)) continue;
        const file = await describeAndCopy(ctx, path).catch(() => undefined);
        if (file) await emit({ variables: { event: kind, file } });
      }
    }
  } finally {
    watcher.close();
  }
};
