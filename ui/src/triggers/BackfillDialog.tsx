/** The backfill of a schedule: start, end (now by default), inputs and labels of the replayed executions. */
import { type FormEvent, useState } from 'react';
import { backfillTrigger, type TriggerKey } from '../api/operations.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Field } from '../components/Field.tsx';
import { backfillBody, localInput } from './backfill.ts';

/** The default start: a day back, the usual "replay what was missed" window. */
const DEFAULT_WINDOW_MS = 24 * 3_600_000;

export const BackfillDialog = ({
  trigger,
  onClose,
  onDone,
}: {
  trigger: TriggerKey;
  onClose: () => void;
  onDone: () => void;
}) => {
  const [form, setForm] = useState({
    start: localInput(Date.now() - DEFAULT_WINDOW_MS),
    end: '',
    inputs: '',
    labels: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = backfillBody(form);
    setErrors(checked.errors ?? {});
    if (!checked.body) return;
    setBusy(true);
    try {
      await backfillTrigger(trigger, checked.body);
      onDone();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Backfill ${trigger.flowId} · ${trigger.triggerId}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} aria-label="Backfill">
        <p className="muted">
          Runs the flow once for each tick of the schedule between the start and the end.
        </p>
        <Field label="Start" required error={errors.start}>
          {({ id, describedBy }) => (
            <input
              id={id}
              aria-describedby={describedBy}
              className="input"
              type="datetime-local"
              value={form.start}
              onChange={set('start')}
            />
          )}
        </Field>
        <Field label="End" help="Empty: up to now" error={errors.end}>
          {({ id, describedBy }) => (
            <input
              id={id}
              aria-describedby={describedBy}
              className="input"
              type="datetime-local"
              value={form.end}
              onChange={set('end')}
            />
          )}
        </Field>
        <Field label="Inputs" help='A JSON object, e.g. {"name": "value"}' error={errors.inputs}>
          {({ id, describedBy }) => (
            <textarea
              id={id}
              aria-describedby={describedBy}
              className="input mono"
              rows={3}
              value={form.inputs}
              onChange={set('inputs')}
            />
          )}
        </Field>
        <Field label="Labels" help="key:value, separated by commas" error={errors.labels}>
          {({ id, describedBy }) => (
            <input
              id={id}
              aria-describedby={describedBy}
              className="input"
              value={form.labels}
              onChange={set('labels')}
            />
          )}
        </Field>
        <ErrorMessage error={failure} />
        <div className="row">
          <span className="spacer" />
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            Start backfill
          </Button>
        </div>
      </form>
    </Dialog>
  );
};
