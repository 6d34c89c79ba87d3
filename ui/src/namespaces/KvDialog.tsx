/** Adding a KV entry or changing one's value: key (fixed when editing), type, value, time to live. */
import { type FormEvent, useState } from 'react';
import { type KvType, putKv } from '../api/operations.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Field } from '../components/Field.tsx';
import { isKvKey, isTtl, KV_TYPES, kvBody, kvText } from './kv.ts';

export const KvDialog = ({
  namespace,
  entry,
  onClose,
  onSaved,
}: {
  namespace: string;
  entry: { key?: string; type?: KvType; value?: unknown; expires?: string };
  onClose: () => void;
  onSaved: () => void;
}) => {
  const editing = entry.key !== undefined;
  const [key, setKey] = useState(entry.key ?? '');
  const [type, setType] = useState<KvType>(entry.type ?? 'STRING');
  const [value, setValue] = useState(entry.type ? kvText(entry.type, entry.value) : '');
  const [ttl, setTtl] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (!isKvKey(key)) found.key = 'A letter or digit, then letters, digits, ".", "_" or "-"';
    const body = kvBody(type, value);
    if ('error' in body) found.value = body.error;
    if (!isTtl(ttl.trim())) found.ttl = 'An ISO-8601 duration such as PT1H or P7D';
    setErrors(found);
    if (Object.keys(found).length > 0 || 'error' in body) return;
    setBusy(true);
    try {
      await putKv(namespace, key, body.body, ttl.trim() || undefined);
      onSaved();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={editing ? `Edit ${entry.key}` : `New KV entry in ${namespace}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} aria-label="KV entry">
        <Field label="Key" required error={errors.key}>
          {({ id, describedBy }) => (
            <input
              id={id}
              aria-describedby={describedBy}
              className="input mono"
              value={key}
              readOnly={editing}
              onChange={(e) => setKey(e.target.value)}
            />
          )}
        </Field>
        <Field label="Type">
          {({ id }) => (
            <select
              id={id}
              className="input"
              value={type}
              onChange={(e) => setType(e.target.value as KvType)}
            >
              {KV_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Value" required error={errors.value}>
          {({ id, describedBy }) =>
            type === 'BOOLEAN' ? (
              <select
                id={id}
                aria-describedby={describedBy}
                className="input"
                value={value}
                onChange={(e) => setValue(e.target.value)}
              >
                <option value="">choose</option>
                <option>true</option>
                <option>false</option>
              </select>
            ) : (
              <textarea
                id={id}
                aria-describedby={describedBy}
                className="input mono"
                rows={type === 'JSON' ? 6 : 2}
                value={value}
                onChange={(e) => setValue(e.target.value)}
              />
            )
          }
        </Field>
        <Field
          label="Time to live"
          help={`${entry.expires ? `Now expires ${new Date(entry.expires).toLocaleString()}; saving sets it anew. ` : ''}Empty: kept until deleted. e.g. PT1H, P7D`}
          error={errors.ttl}
        >
          {({ id, describedBy }) => (
            <input
              id={id}
              aria-describedby={describedBy}
              className="input mono"
              value={ttl}
              onChange={(e) => setTtl(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={failure} />
        <div className="row">
          <span className="spacer" />
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={busy}>
            Save
          </Button>
        </div>
      </form>
    </Dialog>
  );
};
