/**
 * `kestra:///` URIs of internal storage, built and parsed without I/O. The layout is Kestra's:
 *   kestra:///<namespace with dots as slashes>/<flowId>/executions/<executionId>/tasks/<taskId>/<taskRunId>/<file>
 *   kestra:///<namespace with dots as slashes>/<flowId>/executions/<executionId>/inputs/<inputId>/<file>
 * Segments are percent-encoded in URIs and validated decoded, so `%2e%2e` is as refused as `..`.
 */

import { BatonError } from '../errors.ts';

export const SCHEME = 'kestra://';
const PREFIX = 'kestra:///';

/** A path or URI that would leave the storage root, or is not a storage URI at all. */
export class StoragePathError extends BatonError {
  constructor(message: string) {
    super('STORAGE_PATH', message);
  }
}

/** The URI names no file (or a folder where a file was expected). */
export class StorageNotFoundError extends BatonError {
  readonly uri: string;
  constructor(uri: string) {
    super(
      'STORAGE_NOT_FOUND',
      `No file in internal storage at ${uri}: check the URI, or whether the execution's files were purged`,
    );
    this.uri = uri;
  }
}

/**
 * The disk holding internal storage is full (or the user's quota is reached): the file was not written
 * (nothing half-written is left). Retrying soon rarely helps: space must be freed first.
 */
export class StorageFullError extends BatonError {
  readonly uri: string;
  constructor(root: string, uri: string, code: string, cause: unknown) {
    super(
      'STORAGE_FULL',
      `the disk holding the internal storage ${root} is full (${code}): ${uri} was not written. Free some space, then run it again`,
      { cause },
    );
    this.uri = uri;
  }
}

export interface ExecutionRef {
  namespace: string;
  flowId: string;
  executionId: string;
}

export interface TaskFileKey extends ExecutionRef {
  taskId: string;
  taskRunId: string;
  fileName: string;
}

export interface InputFileKey extends ExecutionRef {
  inputId: string;
  fileName: string;
}

export type StorageKey = TaskFileKey | InputFileKey;

/** Refuses a segment that could change folders or break the file system call. */
export function checkSegment(segment: string, where: string): string {
  if (segment === '' || segment === '.' || segment === '..') {
    throw new StoragePathError(
      `Invalid path segment '${segment}' in ${where}: '.', '..' and empty segments are not allowed`,
    );
  }
  if (/[/\\\0]/.test(segment)) {
    throw new StoragePathError(
      `Invalid path segment ${JSON.stringify(segment)} in ${where}: '/', '\\' and NUL are not allowed inside a name`,
    );
  }
  return segment;
}

function namespaceSegments(namespace: string): string[] {
  return namespace.split('.').map((s) => checkSegment(s, `namespace '${namespace}'`));
}

export function executionSegments(ref: ExecutionRef): string[] {
  return [
    ...namespaceSegments(ref.namespace),
    checkSegment(ref.flowId, 'flow id'),
    'executions',
    checkSegment(ref.executionId, 'execution id'),
  ];
}

export function keySegments(key: StorageKey): string[] {
  const base = executionSegments(key);
  const file = checkSegment(key.fileName, 'file name');
  if ('inputId' in key) return [...base, 'inputs', checkSegment(key.inputId, 'input id'), file];
  return [
    ...base,
    'tasks',
    checkSegment(key.taskId, 'task id'),
    checkSegment(key.taskRunId, 'task run id'),
    file,
  ];
}

/** The URI of validated segments. */
export function segmentsToUri(segments: readonly string[]): string {
  return PREFIX + segments.map((s) => encodeURIComponent(checkSegment(s, 'storage path'))).join('/');
}

export const keyToUri = (key: StorageKey): string => segmentsToUri(keySegments(key));

/** `kestra:///.../executions/<id>/` : the folder of all files of one execution. */
export const executionFolderUri = (ref: ExecutionRef): string => `${segmentsToUri(executionSegments(ref))}/`;

/**
 * Decoded, validated segments of a `kestra:///` URI. A trailing slash (a folder prefix) is allowed
 * when `folder` is true.
 */
export function parseUri(uri: string, folder = false): string[] {
  if (typeof uri !== 'string' || !uri.startsWith(PREFIX)) {
    const shown = typeof uri === 'string' ? `'${uri.slice(0, 200)}'` : typeof uri;
    throw new StoragePathError(
      `Not an internal storage URI: ${shown}. Expected kestra:///<namespace>/<flow>/executions/... (three slashes, no host)`,
    );
  }
  let path = uri.slice(PREFIX.length);
  if (folder && path.endsWith('/')) path = path.slice(0, -1);
  if (path === '') {
    if (folder) return [];
    throw new StoragePathError(`Storage URI '${uri}' names no file`);
  }
  return path.split('/').map((raw) => {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      throw new StoragePathError(`Malformed percent-encoding '${raw}' in storage URI '${uri}'`);
    }
    return checkSegment(segment, `storage URI '${uri}'`);
  });
}
