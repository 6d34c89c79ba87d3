import { type ReactNode, useId } from 'react';

export interface FieldProps {
  label: ReactNode;
  /** Shown under the control; read out with it (aria-describedby). */
  help?: ReactNode;
  /** The validation message, next to the field. */
  error?: string | undefined;
  required?: boolean;
  /** Renders the control with the ids that tie it to its label, help and error. */
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** A labelled form control with its help and its validation message. */
export const Field = ({ label, help, error, required, children }: FieldProps) => {
  const id = useId();
  const helpId = help ? `${id}-help` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [helpId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {children({ id, describedBy, invalid: Boolean(error) })}
      {help ? (
        <div id={helpId} className="help">
          {help}
        </div>
      ) : null}
      {error ? (
        <div id={errorId} className="error" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
};
