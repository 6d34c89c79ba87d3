import type { TaskDefinition } from '../types.ts';
import { concat, deleteFile, localFiles, purgeCurrentExecutionFiles, size, split, write } from './files.ts';
import { deduplicateItems, filterItems, reverse } from './items.ts';

export const storageDefinitions: TaskDefinition[] = [
  write,
  concat,
  split,
  size,
  deleteFile,
  localFiles,
  purgeCurrentExecutionFiles,
  deduplicateItems,
  filterItems,
  reverse,
];
