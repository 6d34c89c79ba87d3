/**
 * `baton server --flows DIR`: every `.yaml` / `.yml` file of the folder (and its sub-folders) is a flow,
 * loaded at start and watched. A changed file becomes a new revision (only when its text changed); an
 * invalid file is reported in the server log (file, line, property) and the flow keeps its last good
 * revision; a removed file deletes its flow (as Kestra's flow watcher does).
 */
import { type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { Logger } from 'pino';
import { UsageError } from '../errors.ts';
import { flowFilesIn, loadFlowSource } from '../flow/index.ts';
import type { Store } from '../store/types.ts';
import { saveFlow } from './flows/service.ts';
import type { ServerPart } from './parts.ts';

/**
 * How long the folder must be quiet before it is read again. One save in an editor is several events
 * (write, rename, chmod) and a `git checkout` is hundreds; reading on the first one would see files
 * half-written and report them invalid.
 */
const DEBOUNCE_MS = 200;

/** What was last read from a file: its text, and the flow it defines when it was valid. */
interface FileState {
  source: string;
  flow?: { namespace: string; id: string };
}

export interface FlowsFolderOptions {
  dir: string;
  store: Store;
  log: Logger;
}

export const startFlowsFolder = async (opts: FlowsFolderOptions): Promise<ServerPart> => {
  const dir = resolve(opts.dir);
  const { store, log } = opts;
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--flows: ${opts.dir} is not a folder`);
  const files = new Map<string, FileState>();

  const audit = (action: string, flow: { namespace: string; id: string }, file: string, revision: number) =>
    store.appendAudit([
      {
        at: new Date().toISOString(),
        actor: 'flows-folder',
        action,
        target: `${flow.namespace}.${flow.id}`,
        namespace: flow.namespace,
        details: { file, revision },
      },
    ]);

  const loadFile = async (file: string, source: string): Promise<void> => {
    const name = relative(dir, file);
    const previous = files.get(file);
    const { flow, errors } = loadFlowSource(source, name);
    if (!flow) {
      // The file's last good revision stays in force; the state keeps the old flow so that a removal
      // of the file later still deletes it.
      files.set(file, { source, flow: previous?.flow });
      for (const e of errors)
        log.error(
          { file: name, line: e.line, column: e.column, field: e.path || undefined },
          `invalid flow file ${name}:${e.line}: ${e.path ? `${e.path}: ` : ''}${e.message}`,
        );
      if (previous?.flow)
        log.warn(
          { file: name },
          `flow ${previous.flow.namespace}.${previous.flow.id} keeps its last valid revision`,
        );
      return;
    }
    const { stored, change } = await saveFlow(store, flow, source);
    files.set(file, { source, flow: { namespace: flow.namespace, id: flow.id } });
    if (change === 'unchanged') return;
    log.info(
      { file: name, flow: `${flow.namespace}.${flow.id}`, revision: stored.revision },
      `flow ${change} from the flows folder`,
    );
    await audit(change === 'created' ? 'flow.create' : 'flow.update', flow, name, stored.revision);
  };

  const removeFile = async (file: string, state: FileState): Promise<void> => {
    files.delete(file);
    const flow = state.flow;
    if (!flow) return;
    // Another file of the folder may define the same flow (a file renamed): it stays.
    for (const other of files.values())
      if (other.flow?.namespace === flow.namespace && other.flow.id === flow.id) return;
    const stored = await store.getFlow(flow.namespace, flow.id);
    if (!stored) return;
    await store.deleteFlow(flow.namespace, flow.id);
    const name = relative(dir, file);
    log.info({ file: name, flow: `${flow.namespace}.${flow.id}` }, 'flow deleted: its file was removed');
    await audit('flow.delete', flow, name, stored.revision);
  };

  /** Reads the folder again: new and changed files are loaded, removed ones delete their flow. */
  const scan = async (): Promise<void> => {
    let present: string[];
    try {
      present = flowFilesIn(dir);
    } catch (error) {
      log.error({ dir, err: error }, `cannot read the flows folder ${dir}`);
      return;
    }
    for (const file of present) {
      let source: string;
      try {
        source = readFileSync(file, 'utf8');
      } catch {
        continue; // Removed between the listing and the read: the next scan sees it gone.
      }
      if (files.get(file)?.source === source) continue;
      await loadFile(file, source).catch((error: unknown) =>
        log.error({ file: relative(dir, file), err: error }, 'cannot save the flow of a flows folder file'),
      );
    }
    const kept = new Set(present);
    for (const [file, state] of [...files]) if (!kept.has(file)) await removeFile(file, state);
  };

  await scan();
  log.info({ dir, files: files.size }, 'flows folder loaded and watched');

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // Scans run one after the other: a change during a scan is read by the next one.
      running = running
        .then(scan)
        .catch((error: unknown) => log.error({ err: error }, 'flows folder scan failed'));
    }, DEBOUNCE_MS);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true }, schedule);
    watcher.on('error', (error) => log.error({ err: error, dir }, 'watching the flows folder failed'));
  } catch (error) {
    log.error({ err: error, dir }, 'cannot watch the flows folder: changes are not loaded until a restart');
  }

  return {
    name: 'flows-folder',
    async stop() {
      stopped = true;
      clearTimeout(timer);
      watcher?.close();
      await running;
    },
  };
};
