/**
 * `/ui/executions/{namespace}/{flowId}/{id}`: an execution, live over server-sent events until it ends
 * (changes applied once per animation frame): its actions, then tabs for its task runs as a Gantt
 * chart (windowed: fine with 10,000 task runs) with the chosen one's details, the flow's topology
 * colored by state, the logs (followed, filtered) and the outputs (a tree, files previewed).
 */
import { lazy, Suspense, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { getFlow } from '../api/flows.ts';
import { TERMINAL_STATES } from '../api/types.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { Tabs } from '../components/Tabs.tsx';
import { editorPath } from '../pages/FlowsPage.tsx';
import { useTheme } from '../theme.ts';
import { useAsync } from '../useAsync.ts';
import { formatDuration } from './duration.ts';
import { ExecutionActions } from './ExecutionActions.tsx';
import { stateByTaskId } from './gantt.ts';
import { JsonTree } from './JsonTree.tsx';
import { LogsPanel } from './LogsPanel.tsx';
import { TaskRunDetail } from './TaskRunDetail.tsx';
import { TaskRunTimeline } from './TaskRunTimeline.tsx';
import { useExecution } from './useExecution.ts';
import './execution.css';

// The graph (React Flow, ELK) is loaded when its tab is first opened.
const FlowGraph = lazy(() => import('../editor/FlowGraph.tsx'));

type Tab = 'gantt' | 'topology' | 'logs' | 'outputs';
const TABS: { key: Tab; title: string }[] = [
  { key: 'gantt', title: 'Task runs' },
  { key: 'topology', title: 'Topology' },
  { key: 'logs', title: 'Logs' },
  { key: 'outputs', title: 'Outputs' },
];

const ExecutionPage = () => {
  const { namespace = '', flowId = '', id = '' } = useParams();
  const { execution, error, live, follow, generation, show } = useExecution(id);
  const theme = useTheme();
  const [tab, setTab] = useState<Tab>('gantt');
  const [selected, setSelected] = useState<string>();
  const [logTaskRun, setLogTaskRun] = useState<string>();
  const revision = execution?.flowRevision;
  const flow = useAsync(
    () => (revision === undefined ? Promise.resolve(undefined) : getFlow(namespace, flowId, revision)),
    [namespace, flowId, revision],
  );
  const taskRuns = execution?.taskRunList;
  const states = useMemo(() => stateByTaskId(taskRuns ?? []), [taskRuns]);
  const outputs = useMemo(() => {
    const byTask: Record<string, unknown> = {};
    for (const tr of taskRuns ?? [])
      if (tr.outputs && Object.keys(tr.outputs).length > 0)
        byTask[tr.value === undefined ? tr.taskId : `${tr.taskId} [${tr.value}]`] = tr.outputs;
    return byTask;
  }, [taskRuns]);
  const selectedRun = selected ? taskRuns?.find((tr) => tr.id === selected) : undefined;

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
        <span className="spacer" />
        {execution ? (
          <ExecutionActions execution={execution} flow={flow.data} onChanged={show} onRunsAgain={follow} />
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
          <Tabs label="Execution views" tabs={TABS} selected={tab} onSelect={setTab}>
            {tab === 'gantt' ? (
              execution.taskRunList.length === 0 ? (
                <p className="muted">No task has started yet.</p>
              ) : (
                <div className="gantt-layout">
                  <TaskRunTimeline
                    taskRuns={execution.taskRunList}
                    state={execution.state}
                    selected={selected}
                    onSelect={setSelected}
                  />
                  {selectedRun ? (
                    <TaskRunDetail
                      execution={execution}
                      taskRun={selectedRun}
                      onShowLogs={(taskRunId) => {
                        setLogTaskRun(taskRunId);
                        setTab('logs');
                      }}
                      onChanged={show}
                      onRunsAgain={follow}
                    />
                  ) : (
                    <p className="muted taskrun-detail">
                      Choose a task run to see its attempts, outputs and actions.
                    </p>
                  )}
                </div>
              )
            ) : null}
            {tab === 'topology' ? (
              <div className="topology-box">
                <ErrorMessage error={flow.error} />
                {flow.data?.source ? (
                  <Suspense fallback={<Loading what="Loading the graph" />}>
                    <FlowGraph source={flow.data.source} theme={theme} states={states} />
                  </Suspense>
                ) : (
                  <Loading what="Loading the flow" />
                )}
              </div>
            ) : null}
            {tab === 'logs' ? (
              <LogsPanel
                executionId={id}
                generation={generation}
                taskRunId={logTaskRun}
                onClearTaskRun={() => setLogTaskRun(undefined)}
              />
            ) : null}
            {tab === 'outputs' ? (
              <>
                <h3>Flow outputs</h3>
                <JsonTree value={execution.outputs ?? {}} executionId={id} label="Flow outputs" />
                <h3>Task outputs</h3>
                <JsonTree value={outputs} executionId={id} label="Task outputs" />
              </>
            ) : null}
          </Tabs>
        </>
      ) : null}
    </>
  );
};

export default ExecutionPage;
