/**
 * Signing in and out through the public API: the login form's user and password (Basic) create an API
 * token for this browser tab (`POST /me/api-tokens`), used as Bearer afterwards; logging out revokes it
 * (`DELETE /me/api-tokens/{id}`). The password itself is never kept.
 */
import { clearSession, currentSession, type Session, saveSession } from '../auth/session.ts';
import { ApiError, request } from './client.ts';
import type { CreatedToken, Me } from './types.ts';

/** How long a browser session's token lives: a working day; the user signs in again after it. */
const SESSION_MAX_AGE = 'PT12H';

const basic = (user: string, password: string): string => {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
};

export const login = async (user: string, password: string): Promise<Session> => {
  const authorization = basic(user, password);
  const created = await request<CreatedToken>('/me/api-tokens', {
    method: 'POST',
    json: { name: `web UI (${navigator.userAgent.slice(0, 60)})`, maxAge: SESSION_MAX_AGE },
    authorization,
  });
  const bearer = `Bearer ${created.token}`;
  const me = await request<Me>('/me', { authorization: bearer });
  const session: Session = {
    user: me.name,
    token: created.token,
    tokenId: created.id,
    bindings: me.bindings,
    ...(created.expiresAt ? { expiresAt: created.expiresAt } : {}),
  };
  saveSession(session);
  return session;
};

export const logout = async (): Promise<void> => {
  const session = currentSession();
  if (!session) return;
  try {
    await request(`/me/api-tokens/${encodeURIComponent(session.tokenId)}`, { method: 'DELETE' });
  } catch (error) {
    // Already expired or revoked: nothing left to revoke.
    if (!(error instanceof ApiError)) throw error;
  } finally {
    clearSession('logout');
  }
};

/** The user's current roles (an admin may have changed them since login). */
export const fetchMe = (): Promise<Me> => request<Me>('/me');
