/**
 * Every trigger of the flows the user may view, with the scheduler's state of each: next and last tick,
 * the execution holding its lock, enabled or not, a backfill in progress. Editors enable and disable a
 * trigger, backfill a schedule and unlock a locked trigger.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import {
  searchTriggers,
  setTriggerDisabled,
  type TriggerKey,
  type TriggerRow,
  unlockTrigger,
} from '../api/operations.ts';
import { can } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { shortType } from '../flow/topology.ts';
import { editorPath, executionPath } from '../pages/FlowsPage.tsx';
import { useAsync } from '../useAsync.ts';
import { BackfillDialog } from './BackfillDialog.tsx';
import '../styles/operations.css';

const PAGE_SIZE = 50;
/** How often the list is read again: the scheduler moves the next dates and locks on its own. */
const REFRESH_MS = 5_000;
const SCHEDULES = new Set([
  'io.kestra.plugin.core.trigger.Schedule',
  'io.kestra.plugin.core.trigger.ScheduleOnDates',
]);

const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');
const keyOf = (r: TriggerRow): TriggerKey => ({
  namespace: r.triggerContext.namespace,
  flowId: r.triggerContext.flowId,
  triggerId: r.triggerContext.triggerId,
});
const name = (k: TriggerKey) => `${k.namespace}.${k.flowId}.${k.triggerId}`;

export const TriggersPage = () => {
  const bindings = useSession()?.bindings ?? [];
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? undefined;
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);
  const [search, setSearch] = useState(q ?? '');
  const [tick, setTick] = useState(0);
  const [backfill, setBackfill] = useState<TriggerKey>();
  const [failure, setFailure] = useState<unknown>();
  const [notice, setNotice] = useState<string>();
  const list = useAsync(() => searchTriggers({ q, page, size: PAGE_SIZE }), [q, page, tick]);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);

  const act = async (what: () => Promise<unknown>, done: string) => {
    setFailure(undefined);
    try {
      await what();
      setNotice(done);
    } catch (error) {
      setFailure(error);
    }
    setTick((t) => t + 1);
  };
  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (search.trim()) next.set('q', search.trim());
    setParams(next);
  };
  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));

  return (
    <>
      <div className="page-head">
        <h1>Triggers</h1>
        <span className="spacer" />
        <form aria-label="Search triggers" onSubmit={onSearch} className="row">
          <label htmlFor="trigger-search" className="sr-only">
            Search triggers
          </label>
          <input
            id="trigger-search"
            className="input"
            type="search"
            placeholder="Namespace, flow or trigger"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <Button type="submit">Search</Button>
        </form>
      </div>
      {notice ? (
        <div className="notice" role="status">
          {notice}
        </div>
      ) : null}
      <ErrorMessage error={failure} />
      <ErrorMessage error={list.error} />
      {list.loading && !list.data ? <Loading what="Loading triggers" /> : null}
      {list.data && list.data.results.length === 0 ? <p className="muted">No triggers.</p> : null}
      {list.data && list.data.results.length > 0 ? (
        <table className="table" aria-label="Triggers">
          <thead>
            <tr>
              <th scope="col">Trigger</th>
              <th scope="col">Flow</th>
              <th scope="col">Type</th>
              <th scope="col">Next</th>
              <th scope="col">Last</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.results.map((row) => {
              const key = keyOf(row);
              const c = row.triggerContext;
              const mayEdit = can(bindings, 'editor', key.namespace);
              const locked = Boolean(c.locked ?? c.executionId);
              return (
                <tr key={name(key)} data-trigger={name(key)}>
                  <td>{key.triggerId}</td>
                  <td>
                    <Link to={editorPath({ namespace: key.namespace, id: key.flowId })}>{key.flowId}</Link>
                    <div className="muted" style={{ fontSize: 12 }}>
                      {key.namespace}
                    </div>
                  </td>
                  <td title={row.abstractTrigger.type}>
                    {shortType(row.abstractTrigger.type)}
                    {row.abstractTrigger.cron ? (
                      <div className="mono muted">{String(row.abstractTrigger.cron)}</div>
                    ) : null}
                  </td>
                  <td>{when(c.nextExecutionDate)}</td>
                  <td>
                    {when(c.date)}
                    {c.executionId ? (
                      <div>
                        <Link
                          className="mono"
                          to={executionPath({
                            namespace: key.namespace,
                            flowId: key.flowId,
                            id: c.executionId,
                          })}
                        >
                          {c.executionId.slice(0, 8)}
                        </Link>
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <span className={`tag ${c.disabled ? 'state-KILLED' : 'state-SUCCESS'}`}>
                      {c.disabled ? 'disabled' : 'enabled'}
                    </span>
                    {locked ? <span className="tag lock">locked</span> : null}
                    {c.backfill ? (
                      <span className="tag" title={`${when(c.backfill.start)} → ${when(c.backfill.end)}`}>
                        backfill{c.backfill.paused ? ' (paused)' : ''} at {when(c.backfill.currentDate)}
                      </span>
                    ) : null}
                  </td>
                  <td style={{ textAlign: 'right', whiteSpace: 'nowrap' }}>
                    {mayEdit ? (
                      <>
                        <Button
                          small
                          aria-label={`${c.disabled ? 'Enable' : 'Disable'} ${name(key)}`}
                          onClick={() =>
                            void act(
                              () => setTriggerDisabled(key, !c.disabled),
                              `${name(key)} ${c.disabled ? 'enabled' : 'disabled'}.`,
                            )
                          }
                        >
                          {c.disabled ? 'Enable' : 'Disable'}
                        </Button>{' '}
                        {SCHEDULES.has(row.abstractTrigger.type) && !c.backfill ? (
                          <Button small aria-label={`Backfill ${name(key)}`} onClick={() => setBackfill(key)}>
                            Backfill
                          </Button>
                        ) : null}{' '}
                        {locked ? (
                          <Button
                            small
                            aria-label={`Unlock ${name(key)}`}
                            onClick={() => void act(() => unlockTrigger(key), `${name(key)} unlocked.`)}
                          >
                            Unlock
                          </Button>
                        ) : null}
                      </>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {pages > 1 ? (
        <nav className="row" aria-label="Pages" style={{ marginTop: 12 }}>
          <Button
            small
            disabled={page <= 1}
            onClick={() => setParams({ ...(q ? { q } : {}), page: String(page - 1) })}
          >
            Previous
          </Button>
          <span>
            Page {page} of {pages} ({total} triggers)
          </span>
          <Button
            small
            disabled={page >= pages}
            onClick={() => setParams({ ...(q ? { q } : {}), page: String(page + 1) })}
          >
            Next
          </Button>
        </nav>
      ) : null}
      {backfill ? (
        <BackfillDialog
          trigger={backfill}
          onClose={() => setBackfill(undefined)}
          onDone={() => {
            setNotice(`Backfill of ${name(backfill)} started.`);
            setBackfill(undefined);
            setTick((t) => t + 1);
          }}
        />
      ) : null}
    </>
  );
};

export default TriggersPage;
