/**
 * The per-flow "minutes a person would spend per run" setting is the flow label `baton.io/minutes-saved`
 * (the server reads it: src/server/routes/stats.ts says why a label). Changing it is an edit of the flow's
 * YAML that keeps the rest byte for byte where possible (yaml's Document keeps comments and order), then a
 * save as a new revision.
 */
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';

export const MINUTES_SAVED_LABEL = 'baton.io/minutes-saved';

/** The source with the label set to `minutes` (or removed when undefined). Labels may be a map or a list. */
export const withMinutesSaved = (source: string, minutes: number | undefined): string => {
  const doc = parseDocument(source);
  const labels = doc.get('labels', true);
  const value = minutes === undefined ? undefined : String(minutes);
  if (isSeq(labels)) {
    const items = labels.items as YAMLMap[];
    const index = items.findIndex((item) => isMap(item) && item.get('key') === MINUTES_SAVED_LABEL);
    if (value === undefined) {
      if (index >= 0) labels.delete(index);
    } else if (index >= 0) items[index]!.set('value', value);
    else labels.add(doc.createNode({ key: MINUTES_SAVED_LABEL, value }));
  } else if (isMap(labels)) {
    if (value === undefined) labels.delete(MINUTES_SAVED_LABEL);
    else labels.set(MINUTES_SAVED_LABEL, value);
  } else if (value !== undefined) doc.set('labels', doc.createNode({ [MINUTES_SAVED_LABEL]: value }));
  return doc.toString();
};
