/**
 * Every execution the user may view, newest first, filtered by namespace, flow, states, labels and time
 * range (kept in the URL), a page at a time and refreshed every few seconds. Runners select rows (or take
 * every execution matching the filters) to kill or restart them at once; what could not be done is listed.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { namespaces } from '../api/flows.ts';
import {
  type BulkResult,
  killByIds,
  killByQuery,
  listExecutions,
  restartByIds,
  restartByQuery,
} from '../api/operations.ts';
import { type Execution, TERMINAL_STATES } from '../api/types.ts';
import { can, canSomewhere } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { useAsync } from '../useAsync.ts';
import { FilterForm } from './FilterForm.tsx';
import { apiQuery, type ExecutionFilters, filtersFromParams, paramsFromFilters } from './filter.ts';
import '../styles/operations.css';

const PAGE_SIZE = 25;
/** How often the list is read again: running executions change state without the user doing anything. */
const REFRESH_MS = 5_000;

export const executionPath = (e: { namespace: string; flowId: string; id: string }) =>
  `/ui/executions/${encodeURIComponent(e.namespace)}/${encodeURIComponent(e.flowId)}/${encodeURIComponent(e.id)}`;

type Action = { kind: 'kill' | 'restart'; scope: 'selected' | 'matching' };

const runningTime = (e: Execution): string => {
  const end = e.state.endDate ? Date.parse(e.state.endDate) : Date.now();
  const s = Math.max(0, Math.round((end - Date.parse(e.state.startDate)) / 1000));
  return s < 60
    ? `${s}s`
    : s < 3600
      ? `${Math.floor(s / 60)}m ${s % 60}s`
      : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
};

export const ExecutionsPage = () => {
  const session = useSession();
  const bindings = session?.bindings ?? [];
  const mayOperate = canSomewhere(bindings, 'runner');
  const [params, setParams] = useSearchParams();
  const filters = filtersFromParams(params);
  const key = params.toString();
  const [auto, setAuto] = useState(true);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [action, setAction] = useState<Action>();
  const [result, setResult] = useState<{ action: Action; result: BulkResult }>();
  const [actionError, setActionError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  const known = useAsync(() => namespaces(), []);

  const list = useAsync(
    () => listExecutions({ ...apiQuery(filters), page: filters.page, size: PAGE_SIZE }),
    [key, tick],
  );
  useEffect(() => {
    if (!auto) return;
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto]);
  // A new filter is a new list: what was selected in the old one is not in view anymore.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a filter change only
  useEffect(() => setSelected(new Set()), [key]);

  const apply = (f: ExecutionFilters) => setParams(paramsFromFilters(f));
  const rows = list.data?.results ?? [];
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const run = async (a: Action) => {
    setAction(undefined);
    setActionError(undefined);
    try {
      const ids = [...selected];
      const r =
        a.scope === 'selected'
          ? await (a.kind === 'kill' ? killByIds(ids) : restartByIds(ids))
          : await (a.kind === 'kill' ? killByQuery(apiQuery(filters)) : restartByQuery(apiQuery(filters)));
      setResult({ action: a, result: r });
      setSelected(new Set());
    } catch (error) {
      setActionError(error);
    }
    setTick((t) => t + 1);
  };
  const onConfirm = (e: FormEvent) => {
    e.preventDefault();
    if (action) void run(action);
  };

  return (
    <>
      <div className="page-head">
        <h1>Executions</h1>
        <span className="spacer" />
        <label className="row" style={{ gap: 6 }}>
          <input type="checkbox" checked={auto} onChange={(e) => setAuto(e.target.checked)} />
          Refresh every {REFRESH_MS / 1000} s
        </label>
        <Button small onClick={() => setTick((t) => t + 1)}>
          Refresh
        </Button>
      </div>
      <FilterForm
        key={key}
        filters={filters}
        onApply={apply}
        namespaces={known.data?.results.map((n) => n.id)}
      />
      {mayOperate ? (
        <div className="bulk-bar" role="toolbar" aria-label="Bulk actions">
          <span>
            {selected.size > 0 ? `${selected.size} selected` : 'Select executions, or act on all matching:'}
          </span>
          <Button
            small
            disabled={selected.size === 0}
            onClick={() => setAction({ kind: 'kill', scope: 'selected' })}
          >
            Kill selected
          </Button>
          <Button
            small
            disabled={selected.size === 0}
            onClick={() => setAction({ kind: 'restart', scope: 'selected' })}
          >
            Restart selected
          </Button>
          <span className="spacer" />
          <Button small variant="ghost" onClick={() => setAction({ kind: 'kill', scope: 'matching' })}>
            Kill all matching
          </Button>
          <Button small variant="ghost" onClick={() => setAction({ kind: 'restart', scope: 'matching' })}>
            Restart all matching
          </Button>
        </div>
      ) : null}
      <ErrorMessage error={actionError} />
      {result ? (
        <div className="notice" role="status">
          {result.action.kind === 'kill' ? 'Killed' : 'Restarted'} {result.result.count} execution
          {result.result.count === 1 ? '' : 's'}.
          {result.result.errors?.length ? (
            <ul className="bulk-errors">
              {result.result.errors.map((e) => (
                <li key={e.id}>
                  <span className="mono">{e.id}</span>: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading what="Loading executions" /> : null}
      {list.data && rows.length === 0 ? <p className="muted">No execution matches these filters.</p> : null}
      {rows.length > 0 ? (
        <table className="table" aria-label="Executions">
          <thead>
            <tr>
              {mayOperate ? (
                <th scope="col" style={{ width: 28 }}>
                  <input
                    type="checkbox"
                    aria-label="Select every execution of this page"
                    checked={allOnPage}
                    onChange={() =>
                      setSelected(
                        allOnPage
                          ? new Set()
                          : new Set(
                              rows.filter((r) => can(bindings, 'runner', r.namespace)).map((r) => r.id),
                            ),
                      )
                    }
                  />
                </th>
              ) : null}
              <th scope="col">Id</th>
              <th scope="col">Flow</th>
              <th scope="col">Namespace</th>
              <th scope="col">State</th>
              <th scope="col">Started</th>
              <th scope="col">Duration</th>
              <th scope="col">Labels</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((e) => (
              <tr key={e.id} className={selected.has(e.id) ? 'selected' : undefined}>
                {mayOperate ? (
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select execution ${e.id}`}
                      // Another namespace's execution, the user may only view: nothing to do with it.
                      disabled={!can(bindings, 'runner', e.namespace)}
                      checked={selected.has(e.id)}
                      onChange={() => toggle(e.id)}
                    />
                  </td>
                ) : null}
                <td>
                  <Link to={executionPath(e)} className="mono" title={e.id}>
                    {e.id.slice(0, 8)}
                  </Link>
                </td>
                <td>{e.flowId}</td>
                <td>{e.namespace}</td>
                <td>
                  <StateBadge state={e.state.current} />
                </td>
                <td>{new Date(e.state.startDate).toLocaleString()}</td>
                <td>{TERMINAL_STATES.has(e.state.current) ? runningTime(e) : `${runningTime(e)}…`}</td>
                <td>
                  {(e.labels ?? [])
                    .filter((l) => !l.key.startsWith('system.'))
                    .map((l) => (
                      <span key={l.key} className="tag">
                        {l.key}:{l.value}
                      </span>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {pages > 1 ? (
        <nav className="row" aria-label="Pages" style={{ marginTop: 12 }}>
          <Button
            small
            disabled={filters.page <= 1}
            onClick={() => apply({ ...filters, page: filters.page - 1 })}
          >
            Previous
          </Button>
          <span>
            Page {filters.page} of {pages} ({total} executions)
          </span>
          <Button
            small
            disabled={filters.page >= pages}
            onClick={() => apply({ ...filters, page: filters.page + 1 })}
          >
            Next
          </Button>
        </nav>
      ) : total > 0 ? (
        <p className="muted">{total} executions</p>
      ) : null}
      {action ? (
        <Dialog
          title={`${action.kind === 'kill' ? 'Kill' : 'Restart'} executions`}
          onClose={() => setAction(undefined)}
        >
          <form onSubmit={onConfirm}>
            <p>
              {action.kind === 'kill' ? 'Kill' : 'Restart'}{' '}
              {action.scope === 'selected'
                ? `the ${selected.size} selected execution${selected.size === 1 ? '' : 's'}`
                : `every execution matching the filters (${total} listed; only ${action.kind === 'kill' ? 'unfinished' : 'failed or killed'} ones are concerned)`}
              ?
            </p>
            <div className="row">
              <span className="spacer" />
              <Button onClick={() => setAction(undefined)}>Cancel</Button>
              <Button type="submit" variant={action.kind === 'kill' ? 'danger' : 'primary'} autoFocus>
                {action.kind === 'kill' ? 'Kill' : 'Restart'}
              </Button>
            </div>
          </form>
        </Dialog>
      ) : null}
    </>
  );
};

export default ExecutionsPage;
