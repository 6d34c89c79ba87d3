/**
 * Changes to flows shared by the API and the flows folder: save a checked flow (a revision only when the
 * source changed), replace a namespace's flows, enable or disable. Access checks are the callers'.
 */
import type { YamlDocument } from '../../flow/documents.ts';
import type { Flow } from '../../flow/index.ts';
import type { Store, StoredFlow } from '../../store/types.ts';
import { checkFlow, type FlowProblem, invalidFlow, isDisabled, withDisabled } from './model.ts';

export type FlowChangeKind = 'created' | 'updated' | 'unchanged' | 'deleted';

export interface FlowChange {
  stored: StoredFlow;
  change: FlowChangeKind;
}

/** Saves a valid flow; `created` when there was no live flow, `unchanged` when the source is the same. */
export const saveFlow = async (store: Store, flow: Flow, source: string): Promise<FlowChange> => {
  const previous = await store.getFlow(flow.namespace, flow.id);
  const stored = await store.saveFlow(flow.namespace, flow.id, source);
  const change: FlowChangeKind = !previous
    ? 'created'
    : previous.revision === stored.revision
      ? 'unchanged'
      : 'updated';
  return { stored, change };
};

export interface NamespaceDocument {
  document: YamlDocument;
  flow: Flow;
}

/**
 * Checks every document of a namespace update before anything is changed: each must be a valid flow of
 * `namespace`, and no flow id may appear twice. Throws the 422 answer listing every problem.
 */
export const checkNamespaceDocuments = (
  namespace: string,
  documents: YamlDocument[],
): NamespaceDocument[] => {
  const problems: FlowProblem[] = [];
  const out: NamespaceDocument[] = [];
  const seen = new Map<string, number>();
  for (const [index, document] of documents.entries()) {
    const checked = checkFlow(document);
    if (!checked.ok) {
      problems.push(...checked.problems.map((p) => ({ ...p, message: `flow ${index}: ${p.message}` })));
      continue;
    }
    const { flow } = checked;
    if (flow.namespace !== namespace)
      problems.push({
        line: document.line,
        column: 1,
        path: 'namespace',
        message: `flow ${index} (${flow.namespace}.${flow.id}): namespace must be ${namespace}`,
      });
    const first = seen.get(flow.id);
    if (first !== undefined)
      problems.push({
        line: document.line,
        column: 1,
        path: 'id',
        message: `flow ${index}: duplicate flow id ${flow.id} (also flow ${first})`,
      });
    seen.set(flow.id, index);
    out.push({ document, flow });
  }
  if (problems.length > 0) throw invalidFlow(problems, 'flows');
  return out;
};

/**
 * Kestra's "update flows in namespace": creates or updates each flow and, with `deleteMissing`, deletes
 * the namespace's flows absent from the documents (checked beforehand with `checkNamespaceDocuments`).
 */
export const replaceNamespace = async (
  store: Store,
  namespace: string,
  documents: NamespaceDocument[],
  deleteMissing: boolean,
): Promise<FlowChange[]> => {
  const changes: FlowChange[] = [];
  if (deleteMissing) {
    const keep = new Set(documents.map((d) => d.flow.id));
    for (const existing of await store.listFlows(namespace)) {
      if (keep.has(existing.id)) continue;
      await store.deleteFlow(namespace, existing.id);
      changes.push({ stored: { ...existing, deleted: true }, change: 'deleted' });
    }
  }
  for (const { document, flow } of documents) changes.push(await saveFlow(store, flow, document.source));
  return changes;
};

/**
 * Enables or disables a flow by setting `disabled` in its source, as a new revision (as Kestra does);
 * undefined when the flow is already in that state. The new source is checked like any other.
 */
export const setDisabled = async (
  store: Store,
  stored: StoredFlow,
  disabled: boolean,
): Promise<StoredFlow | undefined> => {
  if (isDisabled(stored) === disabled) return undefined;
  const source = withDisabled(stored.source, disabled);
  const checked = checkFlow(source);
  if (!checked.ok) throw invalidFlow(checked.problems);
  return store.saveFlow(stored.namespace, stored.id, source);
};
