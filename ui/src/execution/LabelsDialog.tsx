/** Editing an ended execution's labels: one `key: value` row each, added and removed in place. */
import { type FormEvent, useState } from 'react';
import { setLabels } from '../api/executions.ts';
import type { Execution, Label } from '../api/types.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';

export const LabelsDialog = ({
  execution,
  onClose,
  onSaved,
}: {
  execution: Execution;
  onClose: () => void;
  onSaved: (execution: Execution) => void;
}) => {
  // System labels are Baton's: shown elsewhere, kept by the server, not edited here.
  const [rows, setRows] = useState<Label[]>(() =>
    execution.labels.filter((l) => !l.key.startsWith('system.')),
  );
  const [failure, setFailure] = useState<unknown>();
  const set = (i: number, change: Partial<Label>) =>
    setRows((r) => r.map((l, j) => (j === i ? { ...l, ...change } : l)));
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    try {
      onSaved(
        await setLabels(
          execution.id,
          rows.filter((l) => l.key.trim() !== ''),
        ),
      );
    } catch (error) {
      setFailure(error);
    }
  };
  return (
    <Dialog title="Labels" onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} aria-label="Edit labels">
        <ErrorMessage error={failure} />
        {rows.map((l, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
          <div className="row" key={i}>
            <input
              className="input"
              aria-label={`Key ${i + 1}`}
              value={l.key}
              onChange={(e) => set(i, { key: e.target.value })}
            />
            <input
              className="input"
              aria-label={`Value ${i + 1}`}
              value={l.value}
              onChange={(e) => set(i, { value: e.target.value })}
            />
            <Button
              variant="ghost"
              aria-label={`Remove label ${l.key || i + 1}`}
              onClick={() => setRows((r) => r.filter((_, j) => j !== i))}
            >
              ✕
            </Button>
          </div>
        ))}
        <div className="row">
          <Button onClick={() => setRows((r) => [...r, { key: '', value: '' }])}>Add a label</Button>
          <span className="spacer" />
          <Button type="submit" variant="primary">
            Save labels
          </Button>
        </div>
      </form>
    </Dialog>
  );
};
