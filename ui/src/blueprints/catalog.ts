/**
 * The blueprints: example flows under ./flows/, bundled as text with this page's chunk. Each file starts
 * with `# title: …` and `# tags: a, b` lines (read here), then the flow; its `description` is the
 * blueprint's. test/ui/blueprints.test.ts checks every file with the server's flow validator.
 */
import { parse } from 'yaml';

export interface Blueprint {
  /** The file name without `.yaml`. */
  name: string;
  title: string;
  tags: string[];
  description: string;
  flowId: string;
  namespace: string;
  source: string;
}

const header = (source: string, key: string): string | undefined =>
  new RegExp(`^#\\s*${key}:\\s*(.+)$`, 'm').exec(source)?.[1]?.trim();

/** A blueprint from its file: the header lines, and the flow's id, namespace and description. */
export const blueprintOf = (file: string, source: string): Blueprint => {
  const flow = (parse(source) ?? {}) as { id?: string; namespace?: string; description?: string };
  const name = file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  return {
    name,
    title: header(source, 'title') ?? name,
    tags: (header(source, 'tags') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
    description: flow.description ?? '',
    flowId: flow.id ?? name,
    namespace: flow.namespace ?? '',
    source,
  };
};

/** The source given to the editor: without the blueprint's header lines. */
export const flowSourceOf = (b: Blueprint): string => b.source.replace(/^#\s*(title|tags):.*\n/gm, '');

/** Blueprints whose title, description, flow id or tags contain every word of `query`, and have `tag`. */
export const searchBlueprints = (all: readonly Blueprint[], query: string, tag?: string): Blueprint[] => {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return all.filter((b) => {
    if (tag && !b.tags.includes(tag)) return false;
    const text = `${b.title} ${b.description} ${b.flowId} ${b.tags.join(' ')}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
};

/** Every tag, most used first. */
export const allTags = (all: readonly Blueprint[]): string[] => {
  const counts = new Map<string, number>();
  for (const b of all) for (const t of b.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([t]) => t);
};

const files = import.meta.glob<string>('./flows/*.yaml', { query: '?raw', import: 'default', eager: true });

export const BLUEPRINTS: readonly Blueprint[] = Object.entries(files)
  .map(([file, source]) => blueprintOf(file, source))
  .sort((a, b) => a.title.localeCompare(b.title));
