export { LocalStorage, type StorageTarget } from './local.ts';
export {
  type ExecutionRef,
  executionFolderUri,
  type InputFileKey,
  keyToUri,
  parseUri,
  StorageFullError,
  type StorageKey,
  StorageNotFoundError,
  StoragePathError,
  segmentsToUri,
  type TaskFileKey,
} from './uri.ts';
