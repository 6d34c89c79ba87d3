/** One run-form field, by input type: the control, its label, help (description) and message. */
import type { FlowInput } from '../api/types.ts';
import { Field } from '../components/Field.tsx';
import { choicesOf, type FieldValue, inputId, isRequired } from './inputs.ts';

export interface InputFieldProps {
  input: FlowInput;
  value: FieldValue;
  error: string | undefined;
  onChange: (value: FieldValue) => void;
}

const typeHint: Partial<Record<FlowInput['type'], string>> = {
  DURATION: 'ISO-8601 duration, e.g. PT5M',
  JSON: 'JSON',
  YAML: 'YAML',
  ARRAY: 'one item per line',
};

export const InputField = ({ input, value, error, onChange }: InputFieldProps) => {
  const id = inputId(input);
  const hint = typeHint[input.type];
  const help = [input.description, hint].filter(Boolean).join(' — ') || undefined;
  const text = typeof value === 'string' ? value : '';
  return (
    <Field
      label={
        <>
          {input.displayName ?? id} <span className="muted mono">{input.type}</span>
        </>
      }
      help={help}
      error={error}
      required={isRequired(input)}
    >
      {({ id: controlId, describedBy, invalid }) => {
        const common = {
          id: controlId,
          name: id,
          'aria-describedby': describedBy,
          'aria-invalid': invalid,
          'aria-required': isRequired(input),
        };
        const onText = (e: { target: { value: string } }) => onChange(e.target.value);
        switch (input.type) {
          case 'BOOLEAN':
          case 'BOOL':
            return (
              <input
                {...common}
                type="checkbox"
                checked={value === true}
                onChange={(e) => onChange(e.target.checked)}
                style={{ width: 18, height: 18 }}
              />
            );
          case 'ENUM':
          case 'SELECT': {
            const choices = choicesOf(input);
            if (choices.length === 0 || input.allowCustomValue)
              return (
                <>
                  <input
                    {...common}
                    className="input"
                    list={`${controlId}-choices`}
                    value={text}
                    onChange={onText}
                  />
                  <datalist id={`${controlId}-choices`}>
                    {choices.map((c) => (
                      <option key={c} value={c} />
                    ))}
                  </datalist>
                </>
              );
            return (
              <select {...common} className="input" value={text} onChange={onText}>
                <option value="">—</option>
                {choices.map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            );
          }
          case 'MULTISELECT': {
            const chosen = Array.isArray(value) ? value : [];
            return (
              <select
                {...common}
                className="input"
                multiple
                value={chosen}
                onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}
              >
                {choicesOf(input).map((c) => (
                  <option key={c}>{c}</option>
                ))}
              </select>
            );
          }
          case 'INT':
          case 'FLOAT':
            return (
              <input
                {...common}
                className="input"
                inputMode={input.type === 'INT' ? 'numeric' : 'decimal'}
                value={text}
                onChange={onText}
              />
            );
          case 'DATE':
            return <input {...common} className="input" type="date" value={text} onChange={onText} />;
          case 'TIME':
            return (
              <input {...common} className="input" type="time" step={1} value={text} onChange={onText} />
            );
          case 'DATETIME':
            return (
              <input {...common} className="input" type="datetime-local" value={text} onChange={onText} />
            );
          case 'EMAIL':
            return <input {...common} className="input" type="email" value={text} onChange={onText} />;
          case 'URI':
            return <input {...common} className="input" type="url" value={text} onChange={onText} />;
          case 'SECRET':
            return (
              <input
                {...common}
                className="input"
                type="password"
                autoComplete="off"
                value={text}
                onChange={onText}
              />
            );
          case 'FILE':
            return (
              <input
                {...common}
                type="file"
                accept={input.extension}
                onChange={(e) => onChange(e.target.files?.[0] ?? null)}
              />
            );
          case 'JSON':
          case 'YAML':
          case 'ARRAY':
            return <textarea {...common} className="input" rows={4} value={text} onChange={onText} />;
          default:
            return <input {...common} className="input" value={text} onChange={onText} />;
        }
      }}
    </Field>
  );
};
