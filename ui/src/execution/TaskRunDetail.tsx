/**
 * The chosen task run: its attempts, its outputs (a tree), its logs, and for a runner once the
 * execution ended (or paused): replay from it (a new execution) and a change of its state.
 */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { changeTaskRunState, replayExecution } from '../api/executions.ts';
import { type Execution, type TaskRun, TERMINAL_STATES } from '../api/types.ts';
import { can } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { StateBadge } from '../components/StateBadge.tsx';
import { executionPath } from '../pages/FlowsPage.tsx';
import { formatDuration } from './duration.ts';
import { JsonTree } from './JsonTree.tsx';

type SettableState = 'SUCCESS' | 'WARNING' | 'FAILED';
const SETTABLE: SettableState[] = ['SUCCESS', 'WARNING', 'FAILED'];

export interface TaskRunDetailProps {
  execution: Execution;
  taskRun: TaskRun;
  onShowLogs: (taskRunId: string) => void;
  onChanged: (execution: Execution) => void;
  onRunsAgain: () => void;
}

export const TaskRunDetail = ({
  execution,
  taskRun,
  onShowLogs,
  onChanged,
  onRunsAgain,
}: TaskRunDetailProps) => {
  const session = useSession();
  const navigate = useNavigate();
  const [state, setState] = useState<SettableState>('SUCCESS');
  const [failure, setFailure] = useState<unknown>();
  const runner = can(session?.bindings ?? [], 'runner', execution.namespace);
  const ended = TERMINAL_STATES.has(execution.state.current);
  const settable = ended || execution.state.current === 'PAUSED';

  const act = async (action: () => Promise<void>) => {
    setFailure(undefined);
    try {
      await action();
    } catch (error) {
      setFailure(error);
    }
  };

  return (
    <section className="panel taskrun-detail" aria-label={`Task run ${taskRun.taskId}`}>
      <div className="row">
        <h3 className="mono" style={{ margin: 0 }}>
          {taskRun.taskId}
          {taskRun.value !== undefined ? <span className="muted"> {taskRun.value}</span> : null}
        </h3>
        <StateBadge state={taskRun.state.current} />
      </div>
      <p className="muted mono small">{taskRun.id}</p>
      <ol className="attempts" aria-label="Attempts">
        {taskRun.attempts.map((a, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: attempts are numbered by position
          <li key={i}>
            attempt {i + 1}: <StateBadge state={a.state.current} /> {formatDuration(a.state.duration)}
          </li>
        ))}
      </ol>
      <div className="row">
        <Button small onClick={() => onShowLogs(taskRun.id)}>
          Logs of this task run
        </Button>
        {runner && ended ? (
          <Button
            small
            onClick={() =>
              void act(async () => {
                const copy = await replayExecution(execution.id, taskRun.id);
                void navigate(executionPath(copy));
              })
            }
          >
            Replay from here
          </Button>
        ) : null}
      </div>
      {runner && settable ? (
        <div className="row">
          <label>
            Set state{' '}
            <select
              className="input"
              value={state}
              onChange={(e) => setState(e.target.value as SettableState)}
            >
              {SETTABLE.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <Button
            small
            onClick={() =>
              void act(async () => {
                onChanged(await changeTaskRunState(execution.id, taskRun.id, state));
                onRunsAgain();
              })
            }
          >
            Apply
          </Button>
        </div>
      ) : null}
      <ErrorMessage error={failure} />
      <h4>Outputs</h4>
      <JsonTree
        value={taskRun.outputs ?? {}}
        executionId={execution.id}
        label={`Outputs of ${taskRun.taskId}`}
      />
    </section>
  );
};
