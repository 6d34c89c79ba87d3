/**
 * Dependencies point one way: the worker implements the tasks' API (src/tasks/context.ts), never the other
 * way round; the flow model and the expression language know nothing of the engine around them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = new URL('../../src/', import.meta.url).pathname;

const filesOf = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesOf(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** Top-level folders of src/ imported by the files of `folder`. */
const importedFolders = (folder: string): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const file of filesOf(join(src, folder))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)) {
      const target = relative(src, resolve(file, '..', m[1]!));
      const top = target.includes('/') ? target.split('/')[0]! : target;
      if (top === folder || top.startsWith('..')) continue;
      out.set(top, [...(out.get(top) ?? []), relative(src, file)]);
    }
  }
  return out;
};

const FORBIDDEN: Record<string, string[]> = {
  tasks: ['worker', 'executor', 'runtime', 'cli', 'server'],
  flow: ['worker', 'executor', 'runtime', 'cli', 'store', 'server'],
  expression: ['worker', 'executor', 'runtime', 'cli', 'store', 'flow', 'tasks', 'server'],
  store: ['worker', 'executor', 'runtime', 'cli', 'server'],
  // The worker shares the executor's render-context builder (src/executor/context.ts) and nothing else.
  worker: ['runtime', 'cli', 'server'],
  executor: ['runtime', 'cli', 'server'],
  // The server is assembled from the engine's parts; the command line is a client of it, never the
  // other way round.
  server: ['cli'],
};

describe('dependency direction', () => {
  for (const [folder, forbidden] of Object.entries(FORBIDDEN)) {
    it(`src/${folder} imports none of ${forbidden.join(', ')}`, () => {
      const found = importedFolders(folder);
      const bad = forbidden.filter((f) => found.has(f)).map((f) => `${f}: ${found.get(f)!.join(', ')}`);
      expect(bad).toEqual([]);
    });
  }
});
