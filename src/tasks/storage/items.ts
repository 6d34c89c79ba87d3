/** Tasks that transform ION / JSON-lines files item by item. */
import { Type } from '@sinclair/typebox';
import { DString, dyn, Props, StringEnum } from '../schema.ts';
import type { TaskDefinition } from '../types.ts';

const from = DString({ minLength: 1, description: 'URI of the file to read (ION or JSON lines).' });

export const deduplicateItems: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.DeduplicateItems',
  aliases: ['io.kestra.core.tasks.storages.DeduplicateItems', 'deduplicateitems'],
  kind: 'runnable',
  title: 'Keep one item per key in a file.',
  description:
    'Renders `expr` for each item (the item is the variable context) and keeps only the last item of ' +
    'each key, in order. Outputs: `uri`, `numKeys`, `processedItemsTotal`, `droppedItemsTotal`.',
  example: `id: dedup
type: io.kestra.plugin.core.storage.DeduplicateItems
from: "{{ outputs.fetch.uri }}"
expr: "{{ id }}"
`,
  properties: Props(
    { from, expr: DString({ description: 'Expression giving the key of an item.' }) },
    { required: ['from', 'expr'] },
  ),
};

export const filterItems: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.FilterItems',
  aliases: ['io.kestra.core.tasks.storages.FilterItems', 'filteritems'],
  kind: 'runnable',
  title: 'Keep or drop the items of a file matching a condition.',
  description:
    'Renders `filterCondition` for each item; with `filterType: INCLUDE` keeps the items for which it is ' +
    'truthy, with `EXCLUDE` drops them. Outputs: `uri`, `processedItemsTotal`, `droppedItemsTotal`.',
  example: `id: keep_big
type: io.kestra.plugin.core.storage.FilterItems
from: "{{ outputs.fetch.uri }}"
filterCondition: "{{ amount > 100 }}"
filterType: INCLUDE
`,
  properties: Props(
    {
      from,
      filterCondition: Type.String({
        description: 'Expression evaluated for each item (not rendered up front).',
      }),
      filterType: dyn(StringEnum(['INCLUDE', 'EXCLUDE']), {
        default: 'INCLUDE',
        description: 'Keep (INCLUDE) or drop (EXCLUDE) the matching items.',
      }),
      errorOrNullBehavior: dyn(StringEnum(['FAIL', 'INCLUDE', 'EXCLUDE']), {
        default: 'FAIL',
        description: 'What to do with an item for which the condition fails or renders null.',
      }),
    },
    { required: ['from', 'filterCondition'] },
  ),
};

export const reverse: TaskDefinition = {
  type: 'io.kestra.plugin.core.storage.Reverse',
  aliases: ['io.kestra.core.tasks.storages.Reverse', 'storage.reverse'],
  kind: 'runnable',
  title: 'Reverse the order of the lines of a file.',
  description: 'Writes the lines of `from` in reverse order to a new file. Output: `uri`.',
  example: `id: reverse
type: io.kestra.plugin.core.storage.Reverse
from: "{{ outputs.save.uri }}"
`,
  properties: Props(
    {
      from,
      separator: Type.String({ default: '\n', description: 'Line separator.' }),
      charset: Type.String({ default: 'UTF-8', description: 'Charset of the file.' }),
    },
    { required: ['from'] },
  ),
};
