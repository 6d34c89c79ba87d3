/**
 * Resuming a paused execution: the paused Pause tasks' `onResume` inputs as an approval form (the run
 * form's fields and checks), sent as multipart like a run's inputs.
 */
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { resumeExecution } from '../api/executions.ts';
import type { FlowInput } from '../api/types.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { InputField } from '../run/InputField.tsx';
import { checkValues, initialValues, inputId, serverErrors, toFormData, type Values } from '../run/inputs.ts';

export interface ResumeDialogProps {
  executionId: string;
  inputs: readonly FlowInput[];
  onClose: () => void;
  onResumed: () => void;
}

export const ResumeDialog = ({ executionId, inputs, onClose, onResumed }: ResumeDialogProps) => {
  const [values, setValues] = useState<Values>(() => initialValues(inputs));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const [sending, setSending] = useState(false);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(undefined);
    const problems = checkValues(inputs, values);
    setErrors(problems);
    if (Object.keys(problems).length > 0) {
      const first = inputs.find((i) => problems[inputId(i)]);
      if (first) document.querySelector<HTMLElement>(`[name="${CSS.escape(inputId(first))}"]`)?.focus();
      return;
    }
    setSending(true);
    try {
      await resumeExecution(executionId, inputs.length > 0 ? toFormData(inputs, values) : undefined);
      onResumed();
    } catch (error) {
      const byField = error instanceof ApiError ? serverErrors(error.message) : {};
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFailure(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <Dialog title={inputs.length > 0 ? 'Approve and resume' : 'Resume'} onClose={onClose}>
      <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label="Resume the execution">
        <ErrorMessage error={failure} />
        {inputs.length === 0 ? <p className="muted">The paused tasks ask for no input.</p> : null}
        {inputs.map((input) => {
          const id = inputId(input);
          return (
            <InputField
              key={id}
              input={input}
              value={values[id] ?? null}
              error={errors[id]}
              onChange={(value) => {
                setValues((v) => ({ ...v, [id]: value }));
                setErrors(({ [id]: _, ...rest }) => rest);
              }}
            />
          );
        })}
        <div className="row">
          <Button type="submit" variant="primary" disabled={sending}>
            {sending ? 'Resuming…' : inputs.length > 0 ? 'Approve' : 'Resume'}
          </Button>
          <Button onClick={onClose}>Cancel</Button>
        </div>
      </form>
    </Dialog>
  );
};
