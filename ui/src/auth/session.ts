/**
 * The signed-in session: the user, their role bindings and the API token the UI made for itself at login
 * (revoked at logout). Kept in sessionStorage: it lasts as long as the tab, never on disk beyond it, and
 * another tab signs in on its own.
 */
import { useSyncExternalStore } from 'react';
import type { Binding } from '../api/types.ts';

export interface Session {
  user: string;
  /** The Bearer secret of the token made at login. */
  token: string;
  tokenId: string;
  bindings: Binding[];
  expiresAt?: string;
}

/** Why the session ended: the user logged out, or the server refused its token (expired, revoked). */
export type EndReason = 'logout' | 'expired';

const KEY = 'baton.session';
const listeners = new Set<() => void>();
let cached: Session | null | undefined;
let lastEnd: EndReason | undefined;

const read = (): Session | null => {
  try {
    const text = sessionStorage.getItem(KEY);
    return text ? (JSON.parse(text) as Session) : null;
  } catch {
    return null;
  }
};

export const currentSession = (): Session | null => {
  if (cached === undefined) cached = read();
  return cached;
};

const changed = () => {
  for (const listener of listeners) listener();
};

export const saveSession = (session: Session): void => {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  cached = session;
  lastEnd = undefined;
  changed();
};

export const clearSession = (reason: EndReason): void => {
  if (currentSession() === null) return;
  sessionStorage.removeItem(KEY);
  cached = null;
  lastEnd = reason;
  changed();
};

/** Why the last session ended (the login page says "your session expired"). */
export const lastEndReason = (): EndReason | undefined => lastEnd;

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

/** The session, re-rendering when it starts or ends. */
export const useSession = (): Session | null => useSyncExternalStore(subscribe, currentSession);
