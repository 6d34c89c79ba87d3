export { LocalStorage, type StorageTarget } from './local.ts';
export {
  type ExecutionRef,
  executionFolderUri,
  type InputFileKey,
  keyToUri,
  parseUri,
  type StorageKey,
  StorageNotFoundError,
  StoragePathError,
  segmentsToUri,
  type TaskFileKey,
} from './uri.ts';
