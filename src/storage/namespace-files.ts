/**
 * Namespace files: files saved with a namespace and shared by its flows, kept in internal storage with
 * Kestra's layout, `kestra:///<namespace with dots as slashes>/_files/<path>`. (`_files` cannot clash
 * with a flow's folder: a flow id never starts with `_`.) Paths are written `/folder/file.txt`.
 * One version per file: writing a path again replaces it.
 */
import type { Readable } from 'node:stream';
import type { LocalStorage } from './local.ts';
import { checkSegment, parseUri, segmentsToUri } from './uri.ts';

export const NAMESPACE_FILES_FOLDER = '_files';

/** What to do when a file already exists (Kestra's `Namespace.Conflicts`). */
export type Conflict = 'OVERWRITE' | 'ERROR' | 'SKIP';

export class NamespaceFileExistsError extends Error {
  override name = 'NamespaceFileExistsError';
}

const namespaceRoot = (namespace: string): string[] => [
  ...namespace.split('.').map((s) => checkSegment(s, `namespace '${namespace}'`)),
  NAMESPACE_FILES_FOLDER,
];

/** The segments of a namespace file path; `..`, empty names and the like are refused by checkSegment. */
const pathSegments = (path: string): string[] =>
  path
    .split('/')
    .filter((p) => p !== '')
    .map((p) => checkSegment(p, `namespace file '${path}'`));

export class NamespaceFiles {
  readonly #storage: LocalStorage;
  readonly #namespace: string;
  readonly #root: string[];

  constructor(storage: LocalStorage, namespace: string) {
    this.#storage = storage;
    this.#namespace = namespace;
    this.#root = namespaceRoot(namespace);
  }

  /** The internal storage URI of a namespace file. */
  uri(path: string): string {
    const segments = pathSegments(path);
    if (segments.length === 0) throw new Error(`'${path}' names no file of namespace ${this.#namespace}`);
    return segmentsToUri([...this.#root, ...segments]);
  }

  /** Every file of the namespace, as sorted `/folder/file` paths. */
  async list(): Promise<string[]> {
    const uris = await this.#storage.list(`${segmentsToUri(this.#root)}/`);
    return uris.map((u) => `/${parseUri(u).slice(this.#root.length).join('/')}`);
  }

  async exists(path: string): Promise<boolean> {
    return this.#storage.exists(this.uri(path));
  }

  async get(path: string): Promise<Buffer> {
    return this.#storage.get(this.uri(path));
  }

  /** Writes a file; returns its URI, or undefined when it existed and `conflict` is SKIP. */
  async put(
    path: string,
    data: Buffer | Uint8Array | string | Readable,
    conflict: Conflict = 'OVERWRITE',
  ): Promise<string | undefined> {
    const uri = this.uri(path);
    if (conflict !== 'OVERWRITE' && (await this.#storage.exists(uri))) {
      if (conflict === 'SKIP') return undefined;
      throw new NamespaceFileExistsError(
        `namespace file ${path} already exists in ${this.#namespace}: set conflict to OVERWRITE or SKIP`,
      );
    }
    return this.#storage.put(uri, data);
  }

  /** Deletes a file; false when there was none. */
  async delete(path: string): Promise<boolean> {
    return this.#storage.delete(this.uri(path));
  }
}
