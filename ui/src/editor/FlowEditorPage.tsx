/**
 * `/ui/flows/new` and `/ui/flows/edit/{namespace}/{id}`: the YAML editor (Monaco, loaded with this page
 * only) with the server's validation as you type, the topology beside it, save (a new revision),
 * revisions with a side-by-side diff and restore, and Run. Viewers get the same page, read-only.
 */
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useBlocker, useLocation, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client.ts';
import { createFlow, getFlow, updateFlow, validateFlow } from '../api/flows.ts';
import type { Flow, FlowProblem } from '../api/types.ts';
import { can, canSomewhere } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { editorPath, runPath } from '../pages/FlowsPage.tsx';
import { useTheme } from '../theme.ts';
import { RevisionsDialog } from './RevisionsDialog.tsx';
import type { EditorHandle } from './YamlEditor.tsx';

const TaskForm = lazy(() => import('./TaskForm.tsx'));
const YamlEditor = lazy(() => import('./YamlEditor.tsx'));
const FlowGraph = lazy(() => import('./FlowGraph.tsx'));

/** Quiet time after the last key before the server validates the text: one request per pause. */
const VALIDATE_DELAY_MS = 500;

const template = (namespace: string) => `id: hello_world
namespace: ${namespace}

inputs:
  - id: name
    type: STRING
    defaults: World

tasks:
  - id: hello
    type: io.kestra.plugin.core.log.Log
    message: "Hello {{ inputs.name }}!"
`;

/** The problems in a 422 answer (`details.errors`), or none. */
const problemsOf = (error: unknown): FlowProblem[] | undefined => {
  if (!(error instanceof ApiError) || error.status !== 422) return undefined;
  const errors = (error.details as { errors?: FlowProblem[] } | undefined)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? errors : undefined;
};

const FlowEditorPage = () => {
  const params = useParams();
  const [query] = useSearchParams();
  const navigate = useNavigate();
  const session = useSession();
  const theme = useTheme();
  const bindings = session?.bindings ?? [];
  const isNew = params.id === undefined;
  const namespace = params.namespace ?? query.get('namespace') ?? 'company.team';
  const id = params.id ?? '';
  const canEdit = isNew ? canSomewhere(bindings, 'editor') : can(bindings, 'editor', namespace);
  const canRun = !isNew && can(bindings, 'runner', namespace);

  const [flow, setFlow] = useState<Flow>();
  const [loadError, setLoadError] = useState<unknown>();
  // A blueprint's "Use" opens a new flow with its source (navigation state: not in the URL).
  const prefill = (useLocation().state as { source?: string } | null)?.source;
  const [source, setSource] = useState<string>(isNew ? (prefill ?? template(namespace)) : '');
  const [saved, setSaved] = useState('');
  const [problems, setProblems] = useState<FlowProblem[]>([]);
  const [failure, setFailure] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [showRevisions, setShowRevisions] = useState(false);
  const handle = useRef<EditorHandle>(null);
  const [cursor, setCursor] = useState<number>();
  const dirty = source !== saved;
  // Set while the page itself navigates after a save: no "unsaved changes" question then.
  const leaving = useRef(false);

  const load = useCallback(async () => {
    if (isNew) return;
    try {
      const loaded = await getFlow(namespace, id);
      setFlow(loaded);
      setSource(loaded.source ?? '');
      setSaved(loaded.source ?? '');
      setLoadError(undefined);
    } catch (error) {
      setLoadError(error);
    }
  }, [isNew, namespace, id]);
  useEffect(() => {
    void load();
  }, [load]);

  // The server's validation, a moment after the last change.
  useEffect(() => {
    if (!source.trim()) return setProblems([]);
    const controller = new AbortController();
    const timer = setTimeout(() => {
      validateFlow(source, controller.signal).then(
        (results) => setProblems(results.flatMap((r) => r.errors ?? [])),
        () => undefined, // the next save says what is wrong
      );
    }, VALIDATE_DELAY_MS);
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [source]);

  const save = useCallback(async () => {
    if (!canEdit || saving) return;
    setSaving(true);
    setFailure(undefined);
    setNotice(undefined);
    try {
      const stored = isNew ? await createFlow(source) : await updateFlow(namespace, id, source);
      setSaved(source);
      setFlow(stored);
      setProblems([]);
      if (isNew) {
        leaving.current = true;
        void navigate(editorPath(stored), { replace: true });
      } else
        setNotice(
          stored.revision === flow?.revision ? 'No change to save.' : `Saved as revision ${stored.revision}.`,
        );
    } catch (error) {
      const located = problemsOf(error);
      if (located) setProblems(located);
      setFailure(error);
    } finally {
      setSaving(false);
    }
  }, [canEdit, saving, isNew, source, namespace, id, navigate, flow?.revision]);

  // Ctrl/Cmd+S anywhere on the page (Monaco has its own binding while it has the focus).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void save();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [save]);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      canEdit && dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm('Leave this page? Your changes are not saved.')) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  useEffect(() => {
    if (!canEdit || !dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [canEdit, dirty]);

  const restore = async (revision: Flow) => {
    const stored = await updateFlow(namespace, id, revision.source ?? '');
    setSource(stored.source ?? '');
    setSaved(stored.source ?? '');
    setFlow(stored);
    setNotice(`Revision ${revision.revision} restored as revision ${stored.revision}.`);
  };

  if (loadError) return <ErrorMessage error={loadError} />;
  if (!isNew && !flow) return <Loading what="Loading the flow" />;

  return (
    <div className="editor-page">
      <div className="page-head">
        <h1>
          {isNew ? 'New flow' : id} <span className="muted">{isNew ? '' : `in ${namespace}`}</span>
        </h1>
        {flow ? <span className="tag">revision {flow.revision}</span> : null}
        {canEdit && dirty ? (
          <span className="muted" role="status">
            ● unsaved changes
          </span>
        ) : null}
        {!canEdit ? <span className="tag">read-only</span> : null}
        <span className="spacer" />
        {!isNew ? <Button onClick={() => setShowRevisions(true)}>Revisions</Button> : null}
        {canRun && dirty ? (
          <Button disabled title="Save first: Run runs the saved revision">
            Run
          </Button>
        ) : null}
        {canRun && !dirty ? (
          <Link className="btn" to={runPath({ namespace, id })}>
            Run
          </Link>
        ) : null}
        {canEdit ? (
          <Button
            variant="primary"
            onClick={() => void save()}
            disabled={saving || (!dirty && !isNew)}
            title="Save (Ctrl+S)"
          >
            {saving ? 'Saving…' : 'Save'}
          </Button>
        ) : null}
      </div>
      {notice ? (
        <div className="notice" role="status">
          {notice}
        </div>
      ) : null}
      {failure && !problemsOf(failure) ? <ErrorMessage error={failure} /> : null}
      <div className="editor-split">
        <section className="panel" aria-label="Source">
          <div className="panel-head">
            Source{' '}
            <span className="muted" style={{ fontWeight: 400 }}>
              YAML
            </span>
          </div>
          <div className="panel-body">
            <Suspense fallback={<Loading what="Loading the editor" />}>
              <YamlEditor
                name={isNew ? 'new' : `${namespace}/${id}`}
                value={source}
                onChange={setSource}
                problems={problems}
                readOnly={!canEdit}
                theme={theme}
                onSave={() => void save()}
                onCursor={setCursor}
                onReady={(h) => {
                  handle.current = h;
                }}
              />
            </Suspense>
          </div>
          {problems.length > 0 ? (
            <section className="problems" aria-label={`${problems.length} problems`}>
              {problems.map((p) => (
                <button
                  type="button"
                  key={`${p.line}:${p.column}:${p.path}:${p.message}`}
                  onClick={() => handle.current?.reveal(p.line, p.column)}
                >
                  Line {p.line}, column {p.column}: {p.path ? `${p.path}: ` : ''}
                  {p.message}
                </button>
              ))}
            </section>
          ) : null}
        </section>
        <section className="panel" aria-label="Topology">
          <div className="panel-head">Topology</div>
          <div className="panel-body">
            <Suspense fallback={<Loading what="Loading the graph" />}>
              <FlowGraph source={source} theme={theme} />
            </Suspense>
          </div>
          <Suspense fallback={null}>
            <TaskForm source={source} offset={cursor} readOnly={!canEdit} onChange={setSource} />
          </Suspense>
        </section>
      </div>
      {showRevisions ? (
        <RevisionsDialog
          namespace={namespace}
          id={id}
          canRestore={canEdit}
          onRestore={restore}
          onClose={() => setShowRevisions(false)}
        />
      ) : null}
    </div>
  );
};

export default FlowEditorPage;
