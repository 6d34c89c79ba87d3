/**
 * One namespace, in tabs (WAI-ARIA tabs: arrow keys move between them): its KV entries, the names of
 * the secrets its flows can read, and its namespace files. The tab is kept in the URL (`?tab=`).
 */
import { type KeyboardEvent, useRef } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { FilesTab } from './FilesTab.tsx';
import { KvTab } from './KvTab.tsx';
import { SecretsTab } from './SecretsTab.tsx';
import '../styles/operations.css';

const TABS = [
  { id: 'kv', label: 'KV store' },
  { id: 'secrets', label: 'Secrets' },
  { id: 'files', label: 'Files' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export const NamespacePage = () => {
  const namespace = useParams().namespace ?? '';
  const [params, setParams] = useSearchParams();
  const tab: TabId = TABS.some((t) => t.id === params.get('tab')) ? (params.get('tab') as TabId) : 'kv';
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const select = (id: TabId, focus = false) => {
    setParams({ tab: id }, { replace: true });
    if (focus) refs.current[id]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const at = TABS.findIndex((t) => t.id === tab);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    select(TABS[(at + step + TABS.length) % TABS.length]!.id, true);
  };

  return (
    <>
      <div className="page-head">
        <h1>
          <Link to="/ui/namespaces" className="muted">
            Namespaces
          </Link>{' '}
          / {namespace}
        </h1>
        <span className="spacer" />
        <Link className="btn btn-small" to={`/ui/flows?namespace=${encodeURIComponent(namespace)}`}>
          Flows
        </Link>
      </div>
      <div className="tabs ops-tabs" role="tablist" aria-label={`${namespace} pages`} onKeyDown={onKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              refs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => select(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'kv' ? <KvTab namespace={namespace} /> : null}
        {tab === 'secrets' ? <SecretsTab namespace={namespace} /> : null}
        {tab === 'files' ? <FilesTab namespace={namespace} /> : null}
      </div>
    </>
  );
};

export default NamespacePage;
