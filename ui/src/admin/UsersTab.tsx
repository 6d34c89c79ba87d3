/**
 * Users: the list (search, pages), a form to create one (password, role bindings one per line), and per
 * user: disable/enable, delete, and their API tokens (list, create — the secret shown once —, revoke).
 */
import { type FormEvent, useState } from 'react';
import { describeBinding } from '../auth/roles.ts';
import { Button } from '../components/Button.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage } from '../components/ErrorMessage.tsx';
import { Field } from '../components/Field.tsx';
import { Loading } from '../components/Spinner.tsx';
import { useAsync } from '../useAsync.ts';
import {
  createToken,
  createUser,
  deleteUser,
  listTokens,
  revokeToken,
  searchUsers,
  type User,
  updateUser,
} from './api.ts';
import { parseBindings } from './bindings.ts';
import { Pager } from './Pager.tsx';

const PAGE_SIZE = 20;

const CreateUserForm = ({ onCreated }: { onCreated: () => void }) => {
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [bindingsText, setBindingsText] = useState('viewer *');
  const [error, setError] = useState<unknown>();
  const parsed = parseBindings(bindingsText);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (parsed.errors.length > 0) return;
    try {
      await createUser({ name: name.trim(), bindings: parsed.bindings, ...(password ? { password } : {}) });
      setName('');
      setPassword('');
      setError(undefined);
      onCreated();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="panel admin-form" aria-label="Create a user" onSubmit={(e) => void submit(e)}>
      <h2 className="panel-head">Create a user</h2>
      <div className="panel-body">
        <Field label="Name" required>
          {({ id }) => (
            <input
              id={id}
              className="input"
              value={name}
              required
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Password" help="Empty: the user signs in with API tokens only">
          {({ id, describedBy }) => (
            <input
              id={id}
              className="input"
              type="password"
              autoComplete="new-password"
              aria-describedby={describedBy}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <Field
          label="Roles"
          help="One per line: a role then a namespace pattern — viewer *, editor company.*, runner company.team"
          error={parsed.errors[0]}
        >
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              className="input mono"
              rows={3}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              value={bindingsText}
              onChange={(e) => setBindingsText(e.target.value)}
            />
          )}
        </Field>
        <ErrorMessage error={error} />
        <Button type="submit" variant="primary" disabled={!name.trim() || parsed.errors.length > 0}>
          Create user
        </Button>
      </div>
    </form>
  );
};

const TokensDialog = ({ user, onClose }: { user: string; onClose: () => void }) => {
  const tokens = useAsync(() => listTokens(user), [user]);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<string>();
  const [error, setError] = useState<unknown>();
  const act = async (fn: () => Promise<unknown>) => {
    try {
      setError(undefined);
      await fn();
      tokens.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Dialog title={`API tokens of ${user}`} onClose={onClose}>
      {secret ? (
        <div className="notice" role="status">
          Copy the token now: it is not shown again.
          <pre className="mono secret" data-testid="token-secret">
            {secret}
          </pre>
        </div>
      ) : null}
      <form
        className="row"
        aria-label="Create a token"
        onSubmit={(e) => {
          e.preventDefault();
          void act(async () => {
            setSecret((await createToken(user, { name: name.trim() })).token);
            setName('');
          });
        }}
      >
        <label htmlFor="token-name" className="sr-only">
          Token name
        </label>
        <input
          id="token-name"
          className="input"
          placeholder="Token name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Button type="submit" disabled={!name.trim()}>
          Create token
        </Button>
      </form>
      <ErrorMessage error={error ?? tokens.error} />
      <table className="table" aria-label="Tokens">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Created</th>
            <th scope="col">Expires</th>
            <th scope="col">Last used</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(tokens.data ?? []).map((t) => (
            <tr key={t.id}>
              <td>
                {t.name}
                {t.expired ? <span className="tag">expired</span> : null}
              </td>
              <td>{new Date(t.createdAt).toLocaleString()}</td>
              <td>{t.expiresAt ? new Date(t.expiresAt).toLocaleString() : 'never'}</td>
              <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : '—'}</td>
              <td>
                <Button
                  small
                  variant="danger"
                  aria-label={`Revoke token ${t.name}`}
                  onClick={() => void act(() => revokeToken(user, t.id))}
                >
                  Revoke
                </Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {tokens.data?.length === 0 ? <p className="muted">No token.</p> : null}
    </Dialog>
  );
};

export const UsersTab = ({ self }: { self: string }) => {
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const users = useAsync(() => searchUsers({ ...(q ? { q } : {}), page, size: PAGE_SIZE }), [q, page]);
  const [tokensOf, setTokensOf] = useState<string>();
  const [error, setError] = useState<unknown>();
  const act = async (fn: () => Promise<unknown>) => {
    try {
      setError(undefined);
      await fn();
      users.reload();
    } catch (e) {
      setError(e);
    }
  };
  const remove = (u: User) => {
    if (window.confirm(`Delete user ${u.name} and their tokens?`)) void act(() => deleteUser(u.name));
  };
  return (
    <div className="admin-split">
      <section>
        <div className="row" style={{ marginBottom: 8 }}>
          <label htmlFor="user-search" className="sr-only">
            Search users
          </label>
          <input
            id="user-search"
            className="input"
            type="search"
            placeholder="Search users"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              setPage(1);
            }}
          />
        </div>
        <ErrorMessage error={error ?? users.error} />
        {users.loading && !users.data ? <Loading what="Loading users" /> : null}
        <table className="table" aria-label="Users">
          <thead>
            <tr>
              <th scope="col">User</th>
              <th scope="col">Roles</th>
              <th scope="col">Sign-in</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {(users.data?.results ?? []).map((u) => (
              <tr key={u.name} data-user={u.name}>
                <td>
                  {u.name}
                  {u.disabled ? <span className="tag">disabled</span> : null}
                </td>
                <td>
                  {u.bindings.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    u.bindings.map(describeBinding).join(', ')
                  )}
                </td>
                <td>{u.hasPassword ? 'password, tokens' : 'tokens only'}</td>
                <td className="row">
                  <Button small onClick={() => setTokensOf(u.name)} aria-label={`API tokens of ${u.name}`}>
                    Tokens
                  </Button>
                  {u.name === self ? null : (
                    <>
                      <Button
                        small
                        onClick={() => void act(() => updateUser(u.name, { disabled: !u.disabled }))}
                        aria-label={`${u.disabled ? 'Enable' : 'Disable'} ${u.name}`}
                      >
                        {u.disabled ? 'Enable' : 'Disable'}
                      </Button>
                      <Button
                        small
                        variant="danger"
                        onClick={() => remove(u)}
                        aria-label={`Delete ${u.name}`}
                      >
                        Delete
                      </Button>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager page={page} total={users.data?.total ?? 0} size={PAGE_SIZE} onPage={setPage} />
      </section>
      <CreateUserForm onCreated={users.reload} />
      {tokensOf ? <TokensDialog user={tokensOf} onClose={() => setTokensOf(undefined)} /> : null}
    </div>
  );
};
