/**
 * What may be done to an execution in its state, each shown only when the user's role allows it on
 * the execution's namespace (runner): kill, pause, resume (an approval form for the Pause tasks'
 * `onResume` inputs), restart, labels. The API checks again.
 */
import { useState } from 'react';
import { killExecution, pauseExecution, restartExecution } from '../api/executions.ts';
import { type Execution, type Flow, TERMINAL_STATES } from '../api/types.ts';
import { can } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { LabelsDialog } from './LabelsDialog.tsx';
import { ResumeDialog } from './ResumeDialog.tsx';
import { resumeInputs } from './resume-inputs.ts';

export interface ExecutionActionsProps {
  execution: Execution;
  flow: Flow | undefined;
  /** The execution changed here (an action's answer). */
  onChanged: (execution: Execution) => void;
  /** Follow the execution again: it runs again (restart, resume). */
  onRunsAgain: () => void;
}

export const ExecutionActions = ({ execution, flow, onChanged, onRunsAgain }: ExecutionActionsProps) => {
  const session = useSession();
  const [dialog, setDialog] = useState<'resume' | 'labels'>();
  const [failure, setFailure] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (!can(session?.bindings ?? [], 'runner', execution.namespace)) return null;
  const state = execution.state.current;
  const ended = TERMINAL_STATES.has(state);

  const act = async (action: () => Promise<unknown>) => {
    setFailure(undefined);
    setBusy(true);
    try {
      await action();
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="row execution-actions">
      {!ended && state !== 'KILLING' ? (
        <Button
          variant="danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm(`Kill execution ${execution.id}?`))
              void act(() => killExecution(execution.id));
          }}
        >
          Kill
        </Button>
      ) : null}
      {state === 'RUNNING' ? (
        <Button disabled={busy} onClick={() => void act(() => pauseExecution(execution.id))}>
          Pause
        </Button>
      ) : null}
      {state === 'PAUSED' ? (
        <Button variant="primary" disabled={busy} onClick={() => setDialog('resume')}>
          Resume…
        </Button>
      ) : null}
      {state === 'FAILED' || state === 'KILLED' ? (
        <Button
          variant="primary"
          disabled={busy}
          onClick={() =>
            void act(async () => {
              onChanged(await restartExecution(execution.id));
              onRunsAgain();
            })
          }
        >
          Restart
        </Button>
      ) : null}
      {ended ? (
        <Button disabled={busy} onClick={() => setDialog('labels')}>
          Edit labels
        </Button>
      ) : null}
      <ErrorMessage error={failure} />
      {dialog === 'resume' ? (
        <ResumeDialog
          executionId={execution.id}
          inputs={resumeInputs(flow, execution)}
          onClose={() => setDialog(undefined)}
          onResumed={() => {
            setDialog(undefined);
            onRunsAgain();
          }}
        />
      ) : null}
      {dialog === 'labels' ? (
        <LabelsDialog
          execution={execution}
          onClose={() => setDialog(undefined)}
          onSaved={(changed) => {
            setDialog(undefined);
            onChanged(changed);
          }}
        />
      ) : null}
    </div>
  );
};
