/**
 * `/ui/executions/{namespace}/{flowId}/{id}`: an execution's state and task runs, live (server-sent
 * events) until it ends. The full page (topology by state, Gantt, logs, outputs, actions) comes next.
 */
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { followExecution, getExecution } from '../api/executions.ts';
import { type Execution, TERMINAL_STATES } from '../api/types.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { editorPath } from '../pages/FlowsPage.tsx';
import { formatDuration } from './duration.ts';

/** How long to wait before following again after the stream broke (server restart, network). */
const RETRY_MS = 2_000;

const ExecutionPage = () => {
  const { namespace = '', flowId = '', id = '' } = useParams();
  const [execution, setExecution] = useState<Execution>();
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const follow = async () => {
      try {
        setLive(true);
        await followExecution(id, setExecution, controller.signal);
        setLive(false);
        // The stream ends with the execution; read it once more in case the end event was missed.
        setExecution(await getExecution(id));
      } catch (err) {
        setLive(false);
        if (controller.signal.aborted) return;
        setError(err);
        const status = (err as { status?: number }).status;
        if (status === undefined || status >= 500) timer = setTimeout(() => void follow(), RETRY_MS);
      }
    };
    void follow();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [id]);

  const ended = execution ? TERMINAL_STATES.has(execution.state.current) : false;
  return (
    <>
      <div className="page-head">
        <h1>
          Execution <span className="mono">{id}</span>
        </h1>
        {execution ? <StateBadge state={execution.state.current} /> : null}
        {live && !ended ? (
          <span className="muted" role="status">
            ● live
          </span>
        ) : null}
      </div>
      <ErrorMessage error={execution ? undefined : error} />
      {!execution && !error ? <Loading what="Loading the execution" /> : null}
      {execution ? (
        <>
          <dl className="kv">
            <dt>Flow</dt>
            <dd>
              <Link to={editorPath({ namespace, id: flowId })}>
                {namespace}.{flowId}
              </Link>{' '}
              <span className="muted">revision {execution.flowRevision}</span>
            </dd>
            <dt>Started</dt>
            <dd>{new Date(execution.state.startDate).toLocaleString()}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(execution.state.duration)}</dd>
            {execution.labels.length > 0 ? (
              <>
                <dt>Labels</dt>
                <dd>
                  {execution.labels.map((l) => (
                    <span key={l.key} className="tag">
                      {l.key}: {l.value}
                    </span>
                  ))}
                </dd>
              </>
            ) : null}
          </dl>
          <h2>Task runs</h2>
          {execution.taskRunList.length === 0 ? <p className="muted">No task has started yet.</p> : null}
          {execution.taskRunList.length > 0 ? (
            <table className="table" aria-label="Task runs">
              <thead>
                <tr>
                  <th scope="col">Task</th>
                  <th scope="col">Value</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {execution.taskRunList.map((tr) => (
                  <tr key={tr.id} data-task={tr.taskId}>
                    <td className="mono">{tr.taskId}</td>
                    <td className="mono">{tr.value ?? ''}</td>
                    <td>
                      <StateBadge state={tr.state.current} />
                    </td>
                    <td>{tr.attempts.length}</td>
                    <td>{formatDuration(tr.state.duration)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </>
      ) : null}
    </>
  );
};

export default ExecutionPage;
