/** The names of the secrets the namespace's flows can read; the API never answers their values. */
import { secretNames } from '../api/operations.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { useAsync } from '../useAsync.ts';

export const SecretsTab = ({ namespace }: { namespace: string }) => {
  const list = useAsync(() => secretNames(namespace), [namespace]);
  return (
    <>
      <p className="muted">
        Secrets come from the server's environment (<span className="mono">SECRET_NAME</span>, base64, or{' '}
        <span className="mono">BATON_SECRET_NAME</span>, as is) and are read in flows as{' '}
        <span className="mono">{"{{ secret('NAME') }}"}</span>. Only their names are shown.
      </p>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading what="Loading secret names" /> : null}
      {list.data?.results.length === 0 ? <p className="muted">No secrets.</p> : null}
      {list.data && list.data.results.length > 0 ? (
        <table className="table" aria-label="Secrets">
          <thead>
            <tr>
              <th scope="col">Name</th>
            </tr>
          </thead>
          <tbody>
            {list.data.results.map((s) => (
              <tr key={s.key}>
                <td className="mono">{s.key}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
};
