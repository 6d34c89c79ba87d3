/**
 * Blueprints (`/ui/blueprints`, `?q=` and `?tag=`): example flows with their tags and a search; "Use"
 * opens the editor on a new flow prefilled with the blueprint (an editor saves it from there). Users
 * without the editor role anywhere can read the source but not use it.
 */
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { canSomewhere } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { allTags, BLUEPRINTS, type Blueprint, flowSourceOf, searchBlueprints } from './catalog.ts';
import './blueprints.css';

export const BlueprintsPage = () => {
  const session = useSession();
  const canUse = canSomewhere(session?.bindings ?? [], 'editor');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const tag = params.get('tag') ?? undefined;
  const [shown, setShown] = useState<Blueprint>();
  const found = searchBlueprints(BLUEPRINTS, q, tag);
  const set = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const use = (b: Blueprint) =>
    navigate(`/ui/flows/new?namespace=${encodeURIComponent(b.namespace)}`, {
      state: { source: flowSourceOf(b) },
    });

  return (
    <>
      <div className="page-head">
        <h1>Blueprints</h1>
        <span className="spacer" />
        <label htmlFor="blueprint-search" className="sr-only">
          Search blueprints
        </label>
        <input
          id="blueprint-search"
          className="input"
          type="search"
          placeholder="Search blueprints"
          value={q}
          onChange={(e) => set('q', e.target.value)}
        />
      </div>
      <fieldset className="row tag-filter bare">
        <legend className="sr-only">Tags</legend>
        <Button
          small
          variant={tag ? 'ghost' : 'primary'}
          aria-pressed={!tag}
          onClick={() => set('tag', undefined)}
        >
          all
        </Button>
        {allTags(BLUEPRINTS).map((t) => (
          <Button
            key={t}
            small
            variant={t === tag ? 'primary' : 'ghost'}
            aria-pressed={t === tag}
            onClick={() => set('tag', t === tag ? undefined : t)}
          >
            {t}
          </Button>
        ))}
      </fieldset>
      {found.length === 0 ? <p className="muted">No blueprint matches.</p> : null}
      <ul className="blueprints" aria-label="Blueprints">
        {found.map((b) => (
          <li key={b.name} className="blueprint" aria-labelledby={`bp-${b.name}`}>
            <h2 id={`bp-${b.name}`}>{b.title}</h2>
            <p className="muted">{b.description}</p>
            <div>
              {b.tags.map((t) => (
                <span key={t} className="tag">
                  {t}
                </span>
              ))}
            </div>
            <div className="row">
              <Button small onClick={() => setShown(b)} aria-label={`Source of ${b.title}`}>
                Source
              </Button>
              {canUse ? (
                <Button small variant="primary" onClick={() => void use(b)} aria-label={`Use ${b.title}`}>
                  Use
                </Button>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {shown ? (
        <Dialog
          title={shown.title}
          onClose={() => setShown(undefined)}
          actions={
            canUse ? (
              <Button variant="primary" onClick={() => void use(shown)}>
                Use
              </Button>
            ) : undefined
          }
        >
          <pre className="mono blueprint-source">{flowSourceOf(shown)}</pre>
        </Dialog>
      ) : null}
    </>
  );
};

export default BlueprintsPage;
