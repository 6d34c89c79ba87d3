/** Reading flow files from disk: a file, a folder (recursively, `*.yaml` / `*.yml`), or a list of both. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Flow, FlowError } from './types.ts';
import { loadFlowSource } from './validate.ts';

export interface LoadedFlow {
  file: string;
  source: string;
  /** Set only when the flow is valid. */
  flow?: Flow;
  errors: FlowError[];
}

const FLOW_FILE = /\.ya?ml$/i;

export const loadFlowFile = (file: string): LoadedFlow => {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    const message = `cannot read the file: ${(e as Error).message}`;
    return { file, source: '', errors: [{ file, line: 1, column: 1, path: '', message }] };
  }
  return { file, source, ...loadFlowSource(source, file) };
};

/** Every flow file under a folder, sorted by path so that results are stable. */
export const flowFilesIn = (dir: string): string[] => {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...flowFilesIn(full));
    else if (entry.isFile() && FLOW_FILE.test(entry.name)) out.push(full);
  }
  return out.sort();
};

export const loadFlowDirectory = (dir: string): LoadedFlow[] => flowFilesIn(dir).map(loadFlowFile);

/** Files and folders, as given on a command line. A path that does not exist gives an error entry. */
export const loadFlowPaths = (paths: string[]): LoadedFlow[] =>
  paths.flatMap((p) => {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // Reported by loadFlowFile as "cannot read the file".
    }
    return isDir ? loadFlowDirectory(p) : [loadFlowFile(p)];
  });
