/** Registry of filters: only these can be called with `x | name`. */
import type { FilterFn } from '../env.ts';
import { COLLECTION_FILTERS } from './collections.ts';
import { DATA_FILTERS } from './data.ts';
import { DATE_FILTERS } from './dates.ts';
import { ENCODING_FILTERS } from './encoding.ts';
import { STRING_FILTERS } from './strings.ts';

export const FILTERS = new Map<string, FilterFn>(
  Object.entries({
    ...STRING_FILTERS,
    ...COLLECTION_FILTERS,
    ...DATA_FILTERS,
    ...DATE_FILTERS,
    ...ENCODING_FILTERS,
  }),
);
