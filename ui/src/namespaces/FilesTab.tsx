/**
 * A namespace's files, a directory at a time: open a directory or view a file; editors upload a file
 * into the current directory (its name editable) and delete a file or a directory with what it holds.
 */
import { type FormEvent, useState } from 'react';
import { deleteFile, type FileEntry, listDirectory, readFile, uploadFile } from '../api/operations.ts';
import { can } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { useAsync } from '../useAsync.ts';

const join = (dir: string, name: string) => `${dir === '/' ? '' : dir}/${name}`;
const parent = (dir: string) => dir.slice(0, dir.lastIndexOf('/')) || '/';

export const FilesTab = ({ namespace }: { namespace: string }) => {
  const mayEdit = can(useSession()?.bindings ?? [], 'editor', namespace);
  const [dir, setDir] = useState('/');
  const [generation, setGeneration] = useState(0);
  const [viewing, setViewing] = useState<{ path: string; text?: string }>();
  const [deleting, setDeleting] = useState<FileEntry>();
  const [failure, setFailure] = useState<unknown>();
  const [file, setFile] = useState<File>();
  const [name, setName] = useState('');
  const list = useAsync(() => listDirectory(namespace, dir), [namespace, dir, generation]);
  const reload = () => setGeneration((g) => g + 1);

  const attempt = async (work: () => Promise<void>) => {
    setFailure(undefined);
    try {
      await work();
    } catch (error) {
      setFailure(error);
    }
    reload();
  };
  const view = (path: string) => {
    setViewing({ path });
    readFile(namespace, path).then((text) => setViewing({ path, text }), setFailure);
  };
  const upload = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const target = join(dir, name.trim() || file.name);
    void attempt(async () => {
      await uploadFile(namespace, target, file);
      setFile(undefined);
      setName('');
      (e.target as HTMLFormElement).reset();
    });
  };

  return (
    <>
      {mayEdit ? (
        <form className="inline-form" aria-label="Upload a file" onSubmit={upload}>
          <div className="field">
            <label htmlFor="file-upload">File</label>
            <input
              id="file-upload"
              type="file"
              onChange={(e) => {
                setFile(e.target.files?.[0]);
                setName(e.target.files?.[0]?.name ?? '');
              }}
            />
          </div>
          <div className="field">
            <label htmlFor="file-name">Name in {dir}</label>
            <input
              id="file-name"
              className="input mono"
              value={name}
              placeholder="e.g. scripts/main.py"
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <Button type="submit" variant="primary" disabled={!file}>
            Upload
          </Button>
        </form>
      ) : null}
      <nav className="row" aria-label="Directory" style={{ marginBottom: 8 }}>
        <span className="mono">{dir}</span>
        {dir !== '/' ? (
          <Button small onClick={() => setDir(parent(dir))}>
            Up
          </Button>
        ) : null}
      </nav>
      <ErrorMessage error={failure} />
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading what="Loading files" /> : null}
      {list.data?.length === 0 ? <p className="muted">No files here.</p> : null}
      {list.data && list.data.length > 0 ? (
        <table className="table" aria-label="Files">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Size</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((f) => (
              <tr key={f.fileName}>
                <td>
                  {f.type === 'Directory' ? (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => setDir(join(dir, f.fileName))}
                    >
                      📁 {f.fileName}/
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() => view(join(dir, f.fileName))}
                    >
                      {f.fileName}
                    </button>
                  )}
                </td>
                <td>{f.type === 'File' ? `${f.size} B` : ''}</td>
                <td style={{ textAlign: 'right' }}>
                  {mayEdit ? (
                    <Button
                      small
                      variant="danger"
                      aria-label={`Delete ${f.fileName}`}
                      onClick={() => setDeleting(f)}
                    >
                      Delete
                    </Button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {viewing ? (
        <Dialog title={viewing.path} onClose={() => setViewing(undefined)}>
          {viewing.text === undefined ? (
            <Loading what="Reading the file" />
          ) : (
            <pre className="file-view mono">{viewing.text}</pre>
          )}
        </Dialog>
      ) : null}
      {deleting ? (
        <Dialog title={`Delete ${deleting.fileName}?`} onClose={() => setDeleting(undefined)}>
          <p>
            {deleting.type === 'Directory'
              ? 'The directory and every file in it are deleted.'
              : 'The file is deleted.'}
          </p>
          <div className="row">
            <span className="spacer" />
            <Button onClick={() => setDeleting(undefined)}>Cancel</Button>
            <Button
              variant="danger"
              autoFocus
              onClick={() => {
                const target = join(dir, deleting.fileName);
                setDeleting(undefined);
                void attempt(() => deleteFile(namespace, target));
              }}
            >
              Delete
            </Button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
};
