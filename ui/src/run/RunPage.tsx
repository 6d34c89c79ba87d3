/** `/ui/flows/run/{namespace}/{id}`: the run form of the flow's latest revision. */
import { Link, useNavigate, useParams } from 'react-router';
import { getFlow } from '../api/flows.ts';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { editorPath, executionPath } from '../pages/FlowsPage.tsx';
import { useAsync } from '../useAsync.ts';
import { RunForm } from './RunForm.tsx';

const RunPage = () => {
  const { namespace = '', id = '' } = useParams();
  const navigate = useNavigate();
  const flow = useAsync(() => getFlow(namespace, id), [namespace, id]);
  return (
    <>
      <div className="page-head">
        <h1>
          Run <Link to={editorPath({ namespace, id })}>{id}</Link>{' '}
          <span className="muted">in {namespace}</span>
        </h1>
      </div>
      <ErrorMessage error={flow.error} />
      {flow.loading && !flow.data ? <Loading what="Loading the flow" /> : null}
      {flow.data ? (
        <div className="panel" style={{ maxWidth: 640, padding: 16 }}>
          {flow.data.disabled ? <div className="notice">This flow is disabled: it cannot be run.</div> : null}
          <RunForm flow={flow.data} onCreated={(execution) => void navigate(executionPath(execution))} />
        </div>
      ) : null}
    </>
  );
};

export default RunPage;
