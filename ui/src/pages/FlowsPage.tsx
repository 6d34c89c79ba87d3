/**
 * Flows by namespace (`?namespace=`, its sub-namespaces included), with search (`?q=`): each flow's
 * triggers and its last runs' states; Edit and Run where the user's role allows them.
 */
import { type FormEvent, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { searchExecutions } from '../api/executions.ts';
import { searchFlows } from '../api/flows.ts';
import type { Flow } from '../api/types.ts';
import { can, canSomewhere } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { shortType } from '../flow/topology.ts';
import { useAsync } from '../useAsync.ts';

const PAGE_SIZE = 25;
/** Runs shown per flow, oldest to newest. */
const RUNS_SHOWN = 10;

export const editorPath = (f: { namespace: string; id: string }) =>
  `/ui/flows/edit/${encodeURIComponent(f.namespace)}/${encodeURIComponent(f.id)}`;
export const runPath = (f: { namespace: string; id: string }) =>
  `/ui/flows/run/${encodeURIComponent(f.namespace)}/${encodeURIComponent(f.id)}`;
export const executionPath = (e: { namespace: string; flowId: string; id: string }) =>
  `/ui/executions/${encodeURIComponent(e.namespace)}/${encodeURIComponent(e.flowId)}/${encodeURIComponent(e.id)}`;

const LastRuns = ({ flow }: { flow: Flow }) => {
  const runs = useAsync(
    () => searchExecutions({ namespace: flow.namespace, flowId: flow.id, size: RUNS_SHOWN }),
    [flow.namespace, flow.id],
  );
  if (runs.error) return <span className="muted">—</span>;
  // The search includes sub-namespaces: only this flow's own runs.
  const own = (runs.data?.results ?? []).filter((e) => e.namespace === flow.namespace).reverse();
  if (runs.loading && !runs.data) return <span className="muted">…</span>;
  if (own.length === 0) return <span className="muted">never run</span>;
  const last = own.at(-1)!;
  return (
    <span className="row">
      <ul className="runs" aria-label={`last ${own.length} runs`}>
        {own.map((e) => (
          <li key={e.id}>
            <Link
              to={executionPath(e)}
              className={`run-dot state-${e.state.current}`}
              title={`${e.state.current} — ${new Date(e.state.startDate).toLocaleString()}`}
              aria-label={`${e.state.current} run of ${new Date(e.state.startDate).toLocaleString()}`}
            />
          </li>
        ))}
      </ul>
      <span className={`state-${last.state.current}`} style={{ fontSize: 12 }}>
        {last.state.current}
      </span>
    </span>
  );
};

export const FlowsPage = () => {
  const session = useSession();
  const bindings = session?.bindings ?? [];
  const [params, setParams] = useSearchParams();
  const namespace = params.get('namespace') ?? undefined;
  const q = params.get('q') ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const [search, setSearch] = useState(q ?? '');
  const flows = useAsync(() => searchFlows({ q, namespace, page, size: PAGE_SIZE }), [q, namespace, page]);

  const set = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    set({ q: search.trim() || undefined, page: undefined });
  };
  const total = flows.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <>
      <div className="page-head">
        <h1>Flows{namespace ? <span className="muted"> in {namespace}</span> : null}</h1>
        {namespace ? (
          <button
            type="button"
            className="btn btn-small btn-ghost"
            onClick={() => set({ namespace: undefined, page: undefined })}
          >
            all namespaces
          </button>
        ) : null}
        <span className="spacer" />
        <form aria-label="Search flows" onSubmit={onSearch} className="row">
          <label htmlFor="flow-search" className="sr-only">
            Search flows
          </label>
          <input
            id="flow-search"
            className="input"
            type="search"
            placeholder="Search flows"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <button type="submit" className="btn">
            Search
          </button>
        </form>
        {(namespace ? can(bindings, 'editor', namespace) : canSomewhere(bindings, 'editor')) ? (
          <Link
            className="btn btn-primary"
            to={`/ui/flows/new${namespace ? `?namespace=${encodeURIComponent(namespace)}` : ''}`}
          >
            New flow
          </Link>
        ) : null}
      </div>
      <ErrorMessage error={flows.error} />
      {flows.loading && !flows.data ? <Loading what="Loading flows" /> : null}
      {flows.data && flows.data.results.length === 0 ? (
        <p className="muted">{q ? `No flow matches “${q}”.` : 'No flows yet.'}</p>
      ) : null}
      {flows.data && flows.data.results.length > 0 ? (
        <table className="table" aria-label="Flows">
          <thead>
            <tr>
              <th scope="col">Flow</th>
              <th scope="col">Namespace</th>
              <th scope="col">Triggers</th>
              <th scope="col">Last runs</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {flows.data.results.map((flow) => (
              <tr key={`${flow.namespace}/${flow.id}`}>
                <td>
                  <Link to={editorPath(flow)}>{flow.id}</Link>
                  {flow.disabled ? <span className="tag">disabled</span> : null}
                  {flow.description ? (
                    <div className="muted" style={{ fontSize: 12 }}>
                      {flow.description.split('\n')[0]}
                    </div>
                  ) : null}
                </td>
                <td>
                  <Link to={`/ui/flows?namespace=${encodeURIComponent(flow.namespace)}`}>
                    {flow.namespace}
                  </Link>
                </td>
                <td>
                  {(flow.triggers ?? []).length === 0 ? <span className="muted">none</span> : null}
                  {(flow.triggers ?? []).map((t) => (
                    <span key={t.id} className="tag" title={t.type}>
                      {t.id}: {shortType(String(t.type))}
                      {t.disabled ? ' (off)' : ''}
                    </span>
                  ))}
                </td>
                <td>
                  <LastRuns flow={flow} />
                </td>
                <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                  {can(bindings, 'runner', flow.namespace) && !flow.disabled ? (
                    <Link className="btn btn-small" to={runPath(flow)} aria-label={`Run ${flow.id}`}>
                      Run
                    </Link>
                  ) : null}{' '}
                  <Link
                    className="btn btn-small"
                    to={editorPath(flow)}
                    aria-label={`${can(bindings, 'editor', flow.namespace) ? 'Edit' : 'View'} ${flow.id}`}
                  >
                    {can(bindings, 'editor', flow.namespace) ? 'Edit' : 'View'}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {pages > 1 ? (
        <nav className="row" aria-label="Pages" style={{ marginTop: 12 }}>
          <button
            type="button"
            className="btn btn-small"
            disabled={page <= 1}
            onClick={() => set({ page: String(page - 1) })}
          >
            Previous
          </button>
          <span>
            Page {page} of {pages} ({total} flows)
          </span>
          <button
            type="button"
            className="btn btn-small"
            disabled={page >= pages}
            onClick={() => set({ page: String(page + 1) })}
          >
            Next
          </button>
        </nav>
      ) : null}
    </>
  );
};
