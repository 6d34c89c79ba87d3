/**
 * A namespace's KV entries: each key with its value, type, last change and expiry. Editors add an entry,
 * edit its typed value (and TTL) and delete it.
 */
import { useState } from 'react';
import { deleteKv, getKv, type KvType, listKv } from '../api/operations.ts';
import { can } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { useAsync } from '../useAsync.ts';
import { KvDialog } from './KvDialog.tsx';
import { kvPreview } from './kv.ts';

/**
 * Values read for the list, one request each: past this many keys only the keys are listed (a namespace
 * holding thousands of entries would otherwise cost thousands of requests per view).
 */
const VALUES_SHOWN = 100;

export const KvTab = ({ namespace }: { namespace: string }) => {
  const mayEdit = can(useSession()?.bindings ?? [], 'editor', namespace);
  const [generation, setGeneration] = useState(0);
  const [editing, setEditing] = useState<{
    key?: string;
    type?: KvType;
    value?: unknown;
    expires?: string;
  }>();
  const [deleting, setDeleting] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const list = useAsync(async () => {
    const entries = await listKv(namespace);
    const withValues = entries.length <= VALUES_SHOWN;
    return Promise.all(
      entries
        .sort((a, b) => a.key.localeCompare(b.key))
        .map(async (e) => ({
          ...e,
          ...(withValues ? await getKv(namespace, e.key).catch(() => undefined) : undefined),
        })),
    );
  }, [namespace, generation]);
  const reload = () => setGeneration((g) => g + 1);

  const remove = async (key: string) => {
    setDeleting(undefined);
    setFailure(undefined);
    try {
      await deleteKv(namespace, key);
    } catch (error) {
      setFailure(error);
    }
    reload();
  };

  return (
    <>
      {mayEdit ? (
        <div className="row" style={{ marginBottom: 8 }}>
          <Button variant="primary" onClick={() => setEditing({})}>
            Add entry
          </Button>
        </div>
      ) : null}
      <ErrorMessage error={failure} />
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading what="Loading KV entries" /> : null}
      {list.data?.length === 0 ? <p className="muted">No KV entries in {namespace}.</p> : null}
      {list.data && list.data.length > 0 ? (
        <table className="table" aria-label="KV entries">
          <thead>
            <tr>
              <th scope="col">Key</th>
              <th scope="col">Type</th>
              <th scope="col">Value</th>
              <th scope="col">Updated</th>
              <th scope="col">Expires</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((e) => (
              <tr key={e.key} data-key={e.key}>
                <td className="mono">{e.key}</td>
                <td>{e.type ?? '—'}</td>
                <td className="mono">{e.type ? kvPreview(e.value) : '…'}</td>
                <td>{new Date(e.updateDate).toLocaleString()}</td>
                <td>{e.expirationDate ? new Date(e.expirationDate).toLocaleString() : 'never'}</td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  {mayEdit ? (
                    <>
                      <Button
                        small
                        aria-label={`Edit ${e.key}`}
                        onClick={() => {
                          void getKv(namespace, e.key).then(
                            (v) =>
                              setEditing({
                                key: e.key,
                                type: v.type,
                                value: v.value,
                                expires: e.expirationDate,
                              }),
                            setFailure,
                          );
                        }}
                      >
                        Edit
                      </Button>{' '}
                      <Button
                        small
                        variant="danger"
                        aria-label={`Delete ${e.key}`}
                        onClick={() => setDeleting(e.key)}
                      >
                        Delete
                      </Button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {editing ? (
        <KvDialog
          namespace={namespace}
          entry={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            reload();
          }}
        />
      ) : null}
      {deleting ? (
        <Dialog title={`Delete ${deleting}?`} onClose={() => setDeleting(undefined)}>
          <p>
            The entry <span className="mono">{deleting}</span> of {namespace} is deleted; flows reading it
            fail.
          </p>
          <div className="row">
            <span className="spacer" />
            <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
            <Button variant="danger" autoFocus onClick={() => void remove(deleting)}>
              Delete
            </Button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
};
