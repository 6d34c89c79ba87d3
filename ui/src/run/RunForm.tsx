/**
 * The run form of a flow, generated from its inputs: checks each field before sending, sends the
 * inputs as multipart (files too) and hands the created execution over. The server's messages about
 * inputs go next to their fields; anything else above the form.
 */
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.ts';
import { createExecution } from '../api/executions.ts';
import type { Execution, Flow } from '../api/types.ts';
import { Button } from '../components/Button.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { InputField } from './InputField.tsx';
import { checkValues, initialValues, inputId, serverErrors, toFormData, type Values } from './inputs.ts';

export interface RunFormProps {
  flow: Pick<Flow, 'namespace' | 'id' | 'inputs'>;
  onCreated: (execution: Execution) => void;
  /** Sends the request (the API by default; tests give their own). */
  submit?: typeof createExecution;
}

export const RunForm = ({ flow, onCreated, submit = createExecution }: RunFormProps) => {
  const inputs = flow.inputs ?? [];
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
      // The first field with a message gets the focus: keyboard users land on what to fix.
      const first = inputs.find((i) => problems[inputId(i)]);
      if (first) document.querySelector<HTMLElement>(`[name="${CSS.escape(inputId(first))}"]`)?.focus();
      return;
    }
    setSending(true);
    try {
      onCreated(await submit(flow.namespace, flow.id, toFormData(inputs, values)));
    } catch (error) {
      const byField = error instanceof ApiError ? serverErrors(error.message) : {};
      if (Object.keys(byField).length > 0) setErrors(byField);
      else setFailure(error);
    } finally {
      setSending(false);
    }
  };

  return (
    <form onSubmit={(e) => void onSubmit(e)} noValidate aria-label={`Run ${flow.namespace}.${flow.id}`}>
      <ErrorMessage error={failure} />
      {inputs.length === 0 ? <p className="muted">This flow has no inputs.</p> : null}
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
      <Button type="submit" variant="primary" disabled={sending}>
        {sending ? 'Starting…' : 'Run'}
      </Button>
    </form>
  );
};
