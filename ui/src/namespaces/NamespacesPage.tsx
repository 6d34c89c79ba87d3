/** The namespaces the user may view (those of the flows and their parents), each opening its page. */
import { Link } from 'react-router';
import { namespaces } from '../api/flows.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { useAsync } from '../useAsync.ts';
import '../styles/operations.css';

export const namespacePath = (namespace: string, tab?: string) =>
  `/ui/namespaces/${encodeURIComponent(namespace)}${tab ? `?tab=${tab}` : ''}`;

export const NamespacesPage = () => {
  const list = useAsync(() => namespaces(), []);
  return (
    <>
      <div className="page-head">
        <h1>Namespaces</h1>
      </div>
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading what="Loading namespaces" /> : null}
      {list.data?.results.length === 0 ? (
        <p className="muted">No namespaces yet: save a flow first.</p>
      ) : null}
      {list.data && list.data.results.length > 0 ? (
        <table className="table" aria-label="Namespaces">
          <thead>
            <tr>
              <th scope="col">Namespace</th>
              <th scope="col">
                <span className="sr-only">Pages</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.results.map(({ id }) => (
              <tr key={id}>
                <td style={{ paddingLeft: 8 + 16 * (id.split('.').length - 1) }}>
                  <Link to={namespacePath(id)}>{id}</Link>
                </td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  <Link
                    className="btn btn-small"
                    to={`/ui/flows?namespace=${encodeURIComponent(id)}`}
                    aria-label={`Flows of ${id}`}
                  >
                    Flows
                  </Link>{' '}
                  <Link
                    className="btn btn-small"
                    to={namespacePath(id, 'kv')}
                    aria-label={`KV store of ${id}`}
                  >
                    KV
                  </Link>{' '}
                  <Link
                    className="btn btn-small"
                    to={namespacePath(id, 'files')}
                    aria-label={`Files of ${id}`}
                  >
                    Files
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
};

export default NamespacesPage;
