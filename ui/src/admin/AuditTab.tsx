/**
 * The audit log: newest first, filtered by user, action (or family: `flow`), namespace and a time range,
 * page by page. The filters are applied when the form is submitted (one request per search).
 */
import { type FormEvent, useState } from 'react';
import { Button } from '../components/Button.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Loading } from '../components/Spinner.tsx';
import { useAsync } from '../useAsync.ts';
import { type AuditQuery, searchAudit } from './api.ts';
import { Pager } from './Pager.tsx';

const PAGE_SIZE = 25;

/** A `datetime-local` value (the user's time) as an ISO instant; empty → undefined. */
export const localToIso = (value: string): string | undefined => {
  if (!value) return undefined;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
};

const FILTERS = [
  { key: 'actor', label: 'User', type: 'text' },
  { key: 'action', label: 'Action', type: 'text', placeholder: 'flow, user.create…' },
  { key: 'namespace', label: 'Namespace', type: 'text' },
  { key: 'from', label: 'From', type: 'datetime-local' },
  { key: 'to', label: 'To', type: 'datetime-local' },
] as const;

type FilterKey = (typeof FILTERS)[number]['key'];

export const AuditTab = () => {
  const [draft, setDraft] = useState<Record<FilterKey, string>>({
    actor: '',
    action: '',
    namespace: '',
    from: '',
    to: '',
  });
  const [query, setQuery] = useState<AuditQuery>({ page: 1, size: PAGE_SIZE });
  const entries = useAsync(() => searchAudit(query), [query]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setQuery({
      page: 1,
      size: PAGE_SIZE,
      ...(draft.actor.trim() ? { actor: draft.actor.trim() } : {}),
      ...(draft.action.trim() ? { action: draft.action.trim() } : {}),
      ...(draft.namespace.trim() ? { namespace: draft.namespace.trim() } : {}),
      ...(localToIso(draft.from) ? { from: localToIso(draft.from) } : {}),
      ...(localToIso(draft.to) ? { to: localToIso(draft.to) } : {}),
    });
  };
  return (
    <section>
      <form className="row audit-filters" aria-label="Filter the audit log" onSubmit={submit}>
        {FILTERS.map((f) => (
          <label key={f.key} className="audit-filter">
            <span className="muted">{f.label}</span>
            <input
              className="input"
              type={f.type}
              placeholder={'placeholder' in f ? f.placeholder : undefined}
              value={draft[f.key]}
              onChange={(e) => setDraft({ ...draft, [f.key]: e.target.value })}
            />
          </label>
        ))}
        <Button type="submit" variant="primary">
          Filter
        </Button>
      </form>
      <ErrorMessage error={entries.error} />
      {entries.loading && !entries.data ? <Loading what="Loading the audit log" /> : null}
      <table className="table" aria-label="Audit log">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">User</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Namespace</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {(entries.data?.results ?? []).map((e) => (
            <tr key={e.seq} data-action={e.action}>
              <td>{new Date(e.at).toLocaleString()}</td>
              <td>{e.actor}</td>
              <td className="mono">{e.action}</td>
              <td className="mono">{e.target}</td>
              <td>{e.namespace ?? ''}</td>
              <td className="muted">{e.source ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.data?.results.length === 0 ? <p className="muted">No entry matches.</p> : null}
      <Pager
        page={query.page}
        total={entries.data?.total ?? 0}
        size={PAGE_SIZE}
        onPage={(page) => setQuery({ ...query, page })}
      />
    </section>
  );
};
