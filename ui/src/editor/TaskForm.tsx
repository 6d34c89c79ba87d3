/**
 * The no-code form of the task under the editor's cursor: one control per simple property of its type
 * (task-form.ts says which), each change written into the YAML at once. Other properties stay in YAML.
 */

import { flowSchema } from '../api/flows.ts';
import { useAsync } from '../useAsync.ts';
import { type FormField, fieldsOf, setTaskField, taskAt } from './task-form.ts';
import './task-form.css';

export interface TaskFormProps {
  source: string;
  offset: number | undefined;
  readOnly: boolean;
  onChange: (source: string) => void;
}

const FieldControl = ({
  field,
  value,
  readOnly,
  onSet,
}: {
  field: FormField;
  value: unknown;
  readOnly: boolean;
  onSet: (v: string | number | boolean | string[] | undefined) => void;
}) => {
  const id = `task-field-${field.name}`;
  const label = (
    <label htmlFor={id} title={field.description}>
      {field.name}
      {field.required ? ' *' : ''}
    </label>
  );
  if (field.kind === 'boolean')
    return (
      <div className="field task-field-check">
        <input
          id={id}
          type="checkbox"
          disabled={readOnly}
          checked={value === true}
          onChange={(e) => onSet(e.target.checked ? true : undefined)}
        />
        {label}
      </div>
    );
  const text = Array.isArray(value)
    ? value.join('\n')
    : value === undefined || value === null
      ? ''
      : String(value);
  return (
    <div className="field">
      {label}
      {field.kind === 'enum' ? (
        <select
          id={id}
          className="input"
          disabled={readOnly}
          value={text}
          onChange={(e) => onSet(e.target.value || undefined)}
        >
          <option value="">—</option>
          {field.options?.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : field.kind === 'string[]' || (field.kind === 'string' && text.includes('\n')) ? (
        <textarea
          id={id}
          className="input mono"
          rows={3}
          readOnly={readOnly}
          value={text}
          onChange={(e) =>
            onSet(
              field.kind === 'string[]'
                ? e.target.value.split('\n')
                : e.target.value === ''
                  ? undefined
                  : e.target.value,
            )
          }
        />
      ) : (
        <input
          id={id}
          className="input"
          type={field.kind === 'number' ? 'number' : 'text'}
          readOnly={readOnly}
          value={text}
          onChange={(e) => {
            const v = e.target.value;
            onSet(
              v === '' ? undefined : field.kind === 'number' && Number.isFinite(Number(v)) ? Number(v) : v,
            );
          }}
        />
      )}
    </div>
  );
};

const TaskForm = ({ source, offset, readOnly, onChange }: TaskFormProps) => {
  const schema = useAsync(() => flowSchema(), []);
  const task = offset === undefined ? undefined : taskAt(source, offset);
  if (!task)
    return (
      <p className="muted task-form">
        Put the cursor in a task to edit it with a form (once the YAML parses).
      </p>
    );
  const fields = fieldsOf(schema.data, task.type, task.values);
  return (
    <form className="task-form" aria-label={`Task ${task.id}`} onSubmit={(e) => e.preventDefault()}>
      <div className="task-form-title">
        <strong>{task.id}</strong> <span className="muted">{task.type.split('.').at(-1)}</span>
      </div>
      {fields.length === 0 ? <p className="muted">No simple property: edit this task in YAML.</p> : null}
      {fields.map((f) => (
        <FieldControl
          key={`${task.path.join('.')}:${f.name}`}
          field={f}
          value={task.values[f.name]}
          readOnly={readOnly}
          onSet={(v) => onChange(setTaskField(source, task.path, f.name, v))}
        />
      ))}
    </form>
  );
};

export default TaskForm;
