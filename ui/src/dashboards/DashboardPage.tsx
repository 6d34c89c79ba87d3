/**
 * The dashboard (`/ui/dashboards`, `?days=` and `?namespace=`): runs per day stacked by state, the daily
 * failure rate, duration p50/p95 per flow and the time the runs saved, with a per-flow table where an
 * editor of the flow's namespace sets the minutes a person would spend per run (saved as the flow's
 * `baton.io/minutes-saved` label, a new revision).
 */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { getFlow, updateFlow } from '../api/flows.ts';
import { can } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { editorPath } from '../pages/FlowsPage.tsx';
import { useAsync } from '../useAsync.ts';
import { HBars, RateBars, StackedBars } from './charts.tsx';
import './dashboards.css';
import { withMinutesSaved } from './minutes-label.ts';
import {
  dailyStats,
  type FlowStats,
  failureRates,
  flowStats,
  formatDuration,
  formatMinutes,
  lastDays,
  stackDays,
  statesOf,
  totals,
} from './stats.ts';

const RANGES = [7, 30, 90];

const MinutesEditor = ({ flow, onSaved }: { flow: FlowStats; onSaved: () => void }) => {
  const [value, setValue] = useState(
    flow.minutesSavedPerRun === undefined ? '' : String(flow.minutesSavedPerRun),
  );
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const minutes = value.trim() === '' ? undefined : Number(value);
      if (minutes !== undefined && !(minutes > 0)) throw new Error('a positive number of minutes');
      const current = await getFlow(flow.namespace, flow.flowId);
      await updateFlow(flow.namespace, flow.flowId, withMinutesSaved(current.source ?? '', minutes));
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="row"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input
        className="input minutes-input"
        type="number"
        min="0"
        step="any"
        aria-label={`Minutes saved per run of ${flow.flowId}`}
        value={value}
        onChange={(e) => setValue(e.target.value)}
      />
      <Button type="submit" small disabled={busy}>
        Set
      </Button>
      <ErrorMessage error={error} />
    </form>
  );
};

export const DashboardPage = () => {
  const session = useSession();
  const bindings = session?.bindings ?? [];
  const [params, setParams] = useSearchParams();
  const days = RANGES.includes(Number(params.get('days'))) ? Number(params.get('days')) : 30;
  const namespace = params.get('namespace') ?? undefined;
  const data = useAsync(async () => {
    const q = { ...lastDays(days), ...(namespace ? { namespace } : {}) };
    const [daily, flows] = await Promise.all([dailyStats(q), flowStats(q)]);
    return { daily, flows: flows.results };
  }, [days, namespace]);

  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };

  const d = data.data;
  const states = d ? statesOf(d.daily) : [];
  const sum = d ? totals(d.flows) : undefined;
  const byDuration = (d?.flows ?? []).filter((f) => f.durationP50Ms !== undefined);
  const bySaved = (d?.flows ?? []).filter((f) => f.minutesSaved > 0);
  const name = (f: FlowStats) => `${f.namespace}.${f.flowId}`;

  return (
    <>
      <div className="page-head">
        <h1>Dashboard{namespace ? <span className="muted"> of {namespace}</span> : null}</h1>
        <span className="spacer" />
        <fieldset className="row bare">
          <legend className="sr-only">Time range</legend>
          {RANGES.map((n) => (
            <Button
              key={n}
              small
              variant={n === days ? 'primary' : 'secondary'}
              aria-pressed={n === days}
              onClick={() => set('days', String(n))}
            >
              {n} days
            </Button>
          ))}
        </fieldset>
      </div>
      <ErrorMessage error={data.error} />
      {data.loading && !d ? <Loading what="Loading statistics" /> : null}
      {d && sum ? (
        <>
          <section className="cards" aria-label="Summary">
            <div className="card">
              <div className="card-value" data-testid="total-runs">
                {sum.runs}
              </div>
              <div className="muted">runs</div>
            </div>
            <div className="card">
              <div className="card-value">{Math.round(sum.failureRate * 1000) / 10}%</div>
              <div className="muted">failed ({sum.failures})</div>
            </div>
            <div className="card">
              <div className="card-value" data-testid="time-saved">
                {formatMinutes(sum.minutesSaved)}
              </div>
              <div className="muted">time saved</div>
            </div>
          </section>
          <div className="dash-grid">
            <section className="panel">
              <h2 className="panel-head">Runs per day by state</h2>
              <StackedBars days={stackDays(d.daily, states)} states={states} label="Runs per day by state" />
            </section>
            <section className="panel">
              <h2 className="panel-head">Failure rate per day</h2>
              <RateBars points={failureRates(d.daily)} label="Failure rate per day" />
            </section>
            <section className="panel">
              <h2 className="panel-head">Duration per flow (p50, p95)</h2>
              {byDuration.length === 0 ? (
                <p className="muted panel-body">No finished run in this range.</p>
              ) : (
                <HBars
                  testId="chart-durations"
                  label="Duration per flow"
                  rows={byDuration.map((f) => ({
                    label: name(f),
                    values: [
                      {
                        name: 'p50',
                        value: f.durationP50Ms ?? 0,
                        className: 'bar-p50',
                        text: formatDuration(f.durationP50Ms ?? 0),
                      },
                      {
                        name: 'p95',
                        value: f.durationP95Ms ?? 0,
                        className: 'bar-p95',
                        text: formatDuration(f.durationP95Ms ?? 0),
                      },
                    ],
                  }))}
                />
              )}
            </section>
            <section className="panel">
              <h2 className="panel-head">Time saved per flow</h2>
              {bySaved.length === 0 ? (
                <p className="muted panel-body">
                  Set the minutes a person would spend per run in the table below.
                </p>
              ) : (
                <HBars
                  testId="chart-time-saved"
                  label="Time saved per flow"
                  rows={bySaved.map((f) => ({
                    label: name(f),
                    values: [
                      {
                        name: 'saved',
                        value: f.minutesSaved,
                        className: 'state-SUCCESS',
                        text: formatMinutes(f.minutesSaved),
                      },
                    ],
                  }))}
                />
              )}
            </section>
          </div>
          <table className="table" aria-label="Flows statistics">
            <thead>
              <tr>
                <th scope="col">Flow</th>
                <th scope="col">Runs</th>
                <th scope="col">Failed</th>
                <th scope="col">p50</th>
                <th scope="col">p95</th>
                <th scope="col">Minutes per run</th>
                <th scope="col">Saved</th>
              </tr>
            </thead>
            <tbody>
              {d.flows.map((f) => (
                <tr key={name(f)}>
                  <td>
                    <Link to={editorPath({ namespace: f.namespace, id: f.flowId })}>{name(f)}</Link>
                  </td>
                  <td>{f.total}</td>
                  <td>{Math.round(f.failureRate * 100)}%</td>
                  <td>{f.durationP50Ms === undefined ? '—' : formatDuration(f.durationP50Ms)}</td>
                  <td>{f.durationP95Ms === undefined ? '—' : formatDuration(f.durationP95Ms)}</td>
                  <td>
                    {can(bindings, 'editor', f.namespace) ? (
                      <MinutesEditor key={String(f.minutesSavedPerRun)} flow={f} onSaved={data.reload} />
                    ) : (
                      (f.minutesSavedPerRun ?? '—')
                    )}
                  </td>
                  <td>{formatMinutes(f.minutesSaved)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.flows.length === 0 ? <p className="muted">No run in this range.</p> : null}
        </>
      ) : null}
    </>
  );
};

export default DashboardPage;
