/** Sign in with a user and password (a server account); the app then works with a token of its own. */
import { type FormEvent, useState } from 'react';
import { type Location, Navigate, useLocation } from 'react-router';
import { login } from '../api/account.ts';
import { ApiError } from '../api/client.ts';
import { lastEndReason, useSession } from '../auth/session.ts';
import { Button } from '../components/Button.tsx';
import { Field } from '../components/Field.tsx';

const messageOf = (error: unknown): string => {
  if (error instanceof ApiError && error.status === 401) return 'Wrong user or password.';
  if (error instanceof ApiError && error.status === 429) return error.message;
  return error instanceof Error ? error.message : String(error);
};

export const LoginPage = () => {
  const session = useSession();
  const location = useLocation();
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const from = (location.state as { from?: Location } | null)?.from;
  const target = from && from.pathname !== '/ui/login' ? `${from.pathname}${from.search}` : '/ui/flows';
  if (session) return <Navigate to={target} replace />;

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await login(user, password);
    } catch (err) {
      setError(messageOf(err));
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form onSubmit={(e) => void onSubmit(e)} aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Baton</h1>
        {lastEndReason() === 'expired' ? (
          <div className="notice" role="status">
            Your session ended; please sign in again.
          </div>
        ) : null}
        {error ? (
          <div className="alert" role="alert">
            {error}
          </div>
        ) : null}
        <Field label="User">
          {({ id }) => (
            <input
              id={id}
              className="input"
              name="username"
              autoComplete="username"
              value={user}
              onChange={(e) => setUser(e.target.value)}
              required
              // biome-ignore lint/a11y/noAutofocus: the page's only purpose is this form
              autoFocus
            />
          )}
        </Field>
        <Field label="Password">
          {({ id }) => (
            <input
              id={id}
              className="input"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          )}
        </Field>
        <Button
          type="submit"
          variant="primary"
          disabled={busy || !user || !password}
          style={{ width: '100%', justifyContent: 'center' }}
        >
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
      </form>
    </main>
  );
};
