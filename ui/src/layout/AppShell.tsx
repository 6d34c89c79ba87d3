/**
 * The frame of every signed-in page: the top bar (theme toggle, user menu with the user's roles and log
 * out), the side navigation (pages, and the namespaces the user may view: the current one marked), and
 * the page itself, loaded on demand.
 */
import { Suspense } from 'react';
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { logout } from '../api/account.ts';
import { namespaces } from '../api/flows.ts';
import { canEverywhere, describeBinding, highestRole } from '../auth/roles.ts';
import type { Session } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { Menu } from '../components/Menu.tsx';
import { Loading } from '../components/Spinner.tsx';
import { toggleTheme, useTheme } from '../theme.ts';
import { useAsync } from '../useAsync.ts';

/** The namespace a page is about: `?namespace=` of the flows list, or the flow's or execution's. */
export const currentNamespace = (pathname: string, search: string): string | undefined => {
  const fromQuery = new URLSearchParams(search).get('namespace');
  if (fromQuery) return fromQuery;
  const m = /^\/ui\/(?:flows\/(?:edit|run)|executions|namespaces)\/([^/]+)/.exec(pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
};

export const AppShell = ({ session }: { session: Session }) => {
  const theme = useTheme();
  const navigate = useNavigate();
  const location = useLocation();
  const current = currentNamespace(location.pathname, location.search);
  // Read again on each page change: a flow saved in a new namespace shows up in the list.
  const list = useAsync(() => namespaces(), [session.token, location.pathname]);
  const role = highestRole(session.bindings);

  return (
    <div className="shell">
      <a className="skip-link" href="#content">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/ui/flows" className="brand">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          Baton
        </Link>
        <span className="spacer" />
        <Button
          variant="ghost"
          onClick={toggleTheme}
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          title="Toggle theme"
        >
          {theme === 'dark' ? '☀ Light' : '☾ Dark'}
        </Button>
        <Menu
          label={
            <>
              <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16" fill="currentColor">
                <circle cx="8" cy="5" r="3" />
                <path d="M2 15c0-3.3 2.7-5 6-5s6 1.7 6 5z" />
              </svg>
              {session.user}
              {role ? <span className="tag">{role}</span> : null}
            </>
          }
          ariaLabel={`User menu: ${session.user}, ${role ?? 'no role'}`}
          info={
            <>
              Signed in as <strong>{session.user}</strong>
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {session.bindings.length === 0 ? <li>no role</li> : null}
                {session.bindings.map((b) => (
                  <li key={`${b.role}:${b.namespace}`}>{describeBinding(b)}</li>
                ))}
              </ul>
            </>
          }
          items={[
            {
              label: 'Log out',
              onSelect: () => {
                void logout().finally(() => navigate('/ui/login', { replace: true }));
              },
            },
          ]}
        />
      </header>
      <aside className="sidebar" aria-label="Navigation">
        <nav>
          <NavLink to="/ui/flows" end>
            Flows
          </NavLink>
          <NavLink to="/ui/executions">Executions</NavLink>
          <NavLink to="/ui/triggers">Triggers</NavLink>
          <NavLink to="/ui/namespaces">Namespaces</NavLink>
          <NavLink to="/ui/dashboards">Dashboard</NavLink>
          <NavLink to="/ui/blueprints">Blueprints</NavLink>
          {canEverywhere(session.bindings, 'admin') ? <NavLink to="/ui/admin">Administration</NavLink> : null}
        </nav>
        <div className="section" id="ns-heading">
          Namespaces
        </div>
        <nav className="ns" aria-labelledby="ns-heading">
          {list.data?.results.map(({ id }) => (
            <Link
              key={id}
              to={`/ui/flows?namespace=${encodeURIComponent(id)}`}
              className={id === current ? 'active' : undefined}
              aria-current={id === current ? 'page' : undefined}
              style={{ paddingLeft: 10 + 10 * (id.split('.').length - 1) }}
            >
              {id.split('.').at(-1)}
            </Link>
          ))}
          {list.data?.results.length === 0 ? (
            <p className="muted" style={{ padding: '0 10px' }}>
              none yet
            </p>
          ) : null}
        </nav>
      </aside>
      <main className="main" id="content" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
};
