/**
 * Internal storage on the local file system, confined to one root folder. Every URI is parsed and its
 * segments validated (see uri.ts); then the real path (symlinks resolved) of what is read, or of the
 * folder written into, must still be inside the root, so a symlink planted in the tree cannot lead out.
 * Writes go to a temporary file renamed into place: readers never see a half-written file, and the
 * rename replaces a symlink at the target instead of writing through it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, createReadStream, createWriteStream, mkdirSync, realpathSync, statSync } from 'node:fs';
import {
  lstat,
  mkdir,
  readdir,
  readFile,
  realpath,
  rename,
  rm,
  stat,
  statfs,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  checkSegment,
  type ExecutionRef,
  executionSegments,
  type InputFileKey,
  keySegments,
  parseUri,
  StorageFullError,
  type StorageKey,
  StorageNotFoundError,
  StoragePathError,
  segmentsToUri,
  type TaskFileKey,
} from './uri.ts';

/** Where to put a file: a `kestra:///` URI, a structured key, or the raw path segments. */
export type StorageTarget = string | StorageKey | readonly string[];

const isMissing = (err: unknown): boolean => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

const PRIVATE_FOLDER = 0o700;
const PRIVATE_FILE = 0o600;
/**
 * Room left free on the storage's disk by a write of known size (the database's own need: a WAL that
 * grows by a few pages per step; the data folder's start refuses below 1 MiB for the same reason).
 */
const STORAGE_HEADROOM_BYTES = 1024 * 1024;

export class LocalStorage {
  /** The root folder, symlinks resolved. */
  readonly root: string;

  constructor(root: string) {
    // Files of executions may hold anything a flow handles: readable by this user only, like the data
    // folder (a root made by an earlier version, or by hand, is made private too).
    mkdirSync(root, { recursive: true, mode: PRIVATE_FOLDER });
    chmodSync(root, PRIVATE_FOLDER);
    this.root = realpathSync(root);
  }

  /** Stores `data` and returns its URI. Overwrites an existing file at the same URI. */
  async put(target: StorageTarget, data: Buffer | Uint8Array | string | Readable): Promise<string> {
    const segments = this.#segmentsOf(target);
    if (segments.length === 0) throw new StoragePathError('A storage file needs a name');
    const uri = segmentsToUri(segments);
    const file = join(this.root, ...segments);
    const folder = dirname(file);
    await this.#checkExistingAncestorInside(folder, uri);
    const temp = join(folder, `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await mkdir(folder, { recursive: true, mode: PRIVATE_FOLDER });
      this.#checkInside(await realpath(folder), uri);
      if (!(data instanceof Readable)) await this.#assertRoomFor(Buffer.byteLength(data), uri);
      if (data instanceof Readable)
        await pipeline(data, createWriteStream(temp, { flags: 'wx', mode: PRIVATE_FILE }));
      else await writeFile(temp, data, { flag: 'wx', mode: PRIVATE_FILE });
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') throw new StorageFullError(this.root, uri, code, err);
      throw err;
    }
    return uri;
  }

  /**
   * Refuses a write of known size that would leave less than STORAGE_HEADROOM_BYTES free: filling the
   * disk to the last byte, even for the moment before the partial file is removed, would make a
   * database write of the same moment fail (the whole process stops on a full database) instead of
   * only this task.
   */
  async #assertRoomFor(bytes: number, uri: string): Promise<void> {
    let free: number;
    try {
      const fs = await statfs(this.root);
      free = Number(fs.bavail) * Number(fs.bsize);
    } catch {
      return; // unknown: the write itself will tell
    }
    if (bytes + STORAGE_HEADROOM_BYTES > free)
      throw new StorageFullError(
        this.root,
        uri,
        'ENOSPC',
        new Error(`${bytes} bytes to write, ${free} free`),
      );
  }

  async get(uri: string): Promise<Buffer> {
    return readFile(await this.#existingFile(uri));
  }

  createReadStream(uri: string): Readable {
    return createReadStream(this.#existingFileSync(uri));
  }

  async size(uri: string): Promise<number> {
    return (await stat(await this.#existingFile(uri))).size;
  }

  async exists(uri: string): Promise<boolean> {
    try {
      await this.#existingFile(uri);
      return true;
    } catch (err) {
      if (err instanceof StorageNotFoundError) return false;
      throw err;
    }
  }

  /** Deletes one file; false if there was none. */
  async delete(uri: string): Promise<boolean> {
    const segments = parseUri(uri);
    const file = join(this.root, ...segments);
    try {
      // lstat: a symlink inside the root is removed itself, never what it points to
      const info = await lstat(file);
      if (info.isDirectory()) throw new StoragePathError(`${uri} is a folder: delete files one by one`);
      this.#checkInside(await realpath(dirname(file)), uri);
      await unlink(file);
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  /** URIs of all files under a folder URI (e.g. `kestra:///company/team/`), sorted; symlinks skipped. */
  async list(prefix: string): Promise<string[]> {
    const base = parseUri(prefix, true);
    const out: string[] = [];
    const walk = async (segments: string[]): Promise<void> => {
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(join(this.root, ...segments), { withFileTypes: true });
      } catch (err) {
        if (isMissing(err)) return;
        throw err;
      }
      for (const e of entries) {
        if (e.name.startsWith('.') && e.name.endsWith('.tmp')) continue; // a write in progress
        if (e.isDirectory()) await walk([...segments, e.name]);
        else if (e.isFile()) out.push(segmentsToUri([...segments, e.name]));
      }
    };
    await this.#checkExistingAncestorInside(join(this.root, ...base), prefix);
    await walk(base);
    return out.sort();
  }

  /** Stores a file of a task run (`.../tasks/<taskId>/<taskRunId>/<name>`); returns its URI. */
  async putTaskFile(
    ref: Omit<TaskFileKey, 'fileName'>,
    name: string,
    data: Buffer | Uint8Array | string | Readable,
  ): Promise<string> {
    return this.put({ ...ref, fileName: name }, data);
  }

  /** Stores a FILE input of an execution (`.../inputs/<inputId>/<name>`); returns its URI. */
  async putInputFile(
    ref: Omit<InputFileKey, 'fileName'>,
    name: string,
    data: Buffer | Uint8Array | string | Readable,
  ): Promise<string> {
    return this.put({ ...ref, fileName: name }, data);
  }

  /**
   * Removes every file of executions (inputs and task outputs): `(namespace, flowId, executionId)` or
   * any number of `{ namespace, flowId, executionId }`. Returns how many execution folders existed.
   */
  async deleteExecutionFiles(namespace: string, flowId: string, executionId: string): Promise<number>;
  async deleteExecutionFiles(...executions: ExecutionRef[]): Promise<number>;
  async deleteExecutionFiles(...args: (string | ExecutionRef)[]): Promise<number> {
    const refs: ExecutionRef[] =
      typeof args[0] === 'string'
        ? [{ namespace: args[0], flowId: String(args[1]), executionId: String(args[2]) }]
        : (args as ExecutionRef[]);
    let removed = 0;
    for (const ref of refs) {
      const folder = join(this.root, ...executionSegments(ref));
      try {
        await lstat(folder);
      } catch (err) {
        if (isMissing(err)) continue;
        throw err;
      }
      // rm does not follow symlinks inside the folder; check the folder itself is inside the root
      this.#checkInside(await realpath(dirname(folder)), folder);
      await rm(folder, { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  #segmentsOf(target: StorageTarget): string[] {
    if (typeof target === 'string') return parseUri(target);
    if (Array.isArray(target)) return target.map((s: string) => checkSegment(s, 'storage path'));
    return keySegments(target as StorageKey);
  }

  #checkInside(realPath: string, uri: string): void {
    if (realPath !== this.root && !realPath.startsWith(this.root + sep)) {
      throw new StoragePathError(
        `${uri} resolves outside the storage root (through a symbolic link): refused`,
      );
    }
  }

  /** Before creating folders: the deepest existing ancestor must already be inside the root. */
  async #checkExistingAncestorInside(path: string, uri: string): Promise<void> {
    for (let p = path; ; p = dirname(p)) {
      try {
        this.#checkInside(await realpath(p), uri);
        return;
      } catch (err) {
        if (!isMissing(err) || dirname(p) === p) throw err;
      }
    }
  }

  async #existingFile(uri: string): Promise<string> {
    const path = join(this.root, ...parseUri(uri));
    let real: string;
    try {
      real = await realpath(path);
    } catch (err) {
      if (isMissing(err)) throw new StorageNotFoundError(uri);
      throw err;
    }
    this.#checkInside(real, uri);
    if (!(await stat(real)).isFile()) throw new StorageNotFoundError(uri);
    return real;
  }

  #existingFileSync(uri: string): string {
    const path = join(this.root, ...parseUri(uri));
    let real: string;
    try {
      real = realpathSync(path);
    } catch (err) {
      if (isMissing(err)) throw new StorageNotFoundError(uri);
      throw err;
    }
    this.#checkInside(real, uri);
    if (!statSync(real).isFile()) throw new StorageNotFoundError(uri);
    return real;
  }
}
