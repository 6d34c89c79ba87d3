/**
 * Administration (`/ui/admin/users|roles|audit`), for an admin of `*` only (the API refuses anyone
 * else; the navigation hides the page): users and their API tokens, the roles explained, the audit log.
 */
import { Link, useParams } from 'react-router';
import type { Role } from '../api/types.ts';
import { canEverywhere, ROLES } from '../auth/roles.ts';
import { useSession } from '../auth/session.ts';
import { AuditTab } from './AuditTab.tsx';
import './admin.css';
import { ROLE_HELP } from './bindings.ts';
import { UsersTab } from './UsersTab.tsx';

const TABS = [
  { id: 'users', label: 'Users and tokens' },
  { id: 'roles', label: 'Roles' },
  { id: 'audit', label: 'Audit log' },
] as const;

const RolesTab = () => (
  <section aria-label="Roles">
    <p>
      A user has roles per namespace pattern: <code>*</code> (every namespace), a namespace (
      <code>company.team</code>, with the namespaces below it) or a prefix (<code>company.*</code>). Each role
      includes the ones before it.
    </p>
    <dl className="kv roles-list">
      {ROLES.map((r: Role) => (
        <div key={r}>
          <dt>
            <span className="tag">{r}</span>
          </dt>
          <dd>{ROLE_HELP[r]}</dd>
        </div>
      ))}
    </dl>
  </section>
);

export const AdminPage = () => {
  const session = useSession();
  const { tab = 'users' } = useParams();
  if (!session || !canEverywhere(session.bindings, 'admin'))
    return (
      <p className="alert" role="alert">
        Administration needs the admin role on every namespace (*).
      </p>
    );
  return (
    <>
      <div className="page-head">
        <h1>Administration</h1>
      </div>
      <nav className="tabs" aria-label="Administration sections">
        {TABS.map((t) => (
          <Link
            key={t.id}
            to={`/ui/admin/${t.id}`}
            role="tab"
            aria-selected={t.id === tab}
            aria-current={t.id === tab ? 'page' : undefined}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <div className="admin-body">
        {tab === 'users' ? <UsersTab self={session.user} /> : null}
        {tab === 'roles' ? <RolesTab /> : null}
        {tab === 'audit' ? <AuditTab /> : null}
      </div>
    </>
  );
};

export default AdminPage;
