/**
 * Who is calling: HTTP Basic (a user's password) or `Authorization: Bearer <token>` (an API token,
 * acting as its user). Answers the principal, or why not (for the audit log and the 401).
 */
import { createHash } from 'node:crypto';
import type { RoleBinding, Store } from '../../store/types.ts';
import { verifyPassword } from './passwords.ts';

export interface Principal {
  name: string;
  bindings: RoleBinding[];
  via: 'password' | 'token';
  /** The token's id, when signed in with one. */
  tokenId?: string;
}

export type Authentication =
  | { ok: true; principal: Principal }
  | {
      ok: false;
      reason:
        | 'missing'
        | 'malformed'
        | 'unknown-user'
        | 'bad-password'
        | 'bad-token'
        | 'expired'
        | 'disabled';
      user?: string;
    };

/**
 * How long a verified password is remembered. scrypt costs 50-100 ms by design; paying it on every
 * request of a client using Basic auth would cap the API at ~15 requests/s per core. A changed or
 * deleted user is forgotten at once (`forget`), so the window only matters for a password guessed
 * right, which is still checked in full the first time.
 */
const VERIFIED_TTL_MS = 60_000;
/** Bounds the cache: a flood of distinct credentials must not grow memory without limit. */
const VERIFIED_MAX = 1_000;

export const tokenHash = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** The user name a Basic header claims (before any check), for the login limit; undefined otherwise. */
export const claimedUser = (header: string | undefined): string | undefined => {
  if (header?.slice(0, 6).toLowerCase() !== 'basic ') return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(0, colon);
};

export class Authenticator {
  readonly #store: Store;
  readonly #verified = new Map<string, { user: string; until: number }>();

  constructor(store: Store) {
    this.#store = store;
  }

  /** Drops remembered passwords of `user` (changed, disabled or deleted). */
  forget(user: string): void {
    for (const [key, v] of this.#verified) if (v.user === user) this.#verified.delete(key);
  }

  async authenticate(header: string | undefined): Promise<Authentication> {
    if (!header) return { ok: false, reason: 'missing' };
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (space < 0 || !value) return { ok: false, reason: 'malformed' };
    if (scheme === 'bearer') return this.#bearer(value);
    if (scheme === 'basic') return this.#basic(value);
    return { ok: false, reason: 'malformed' };
  }

  async #basic(value: string): Promise<Authentication> {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { ok: false, reason: 'malformed' };
    const name = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const user = await this.#store.getUser(name);
    if (!user?.passwordHash) return { ok: false, reason: 'unknown-user', user: name };
    if (user.disabled) return { ok: false, reason: 'disabled', user: name };
    const key = tokenHash(`${name}\u0000${password}\u0000${user.passwordHash}`);
    const hit = this.#verified.get(key);
    if (!hit || hit.until < Date.now()) {
      if (!(await verifyPassword(password, user.passwordHash)))
        return { ok: false, reason: 'bad-password', user: name };
      if (this.#verified.size >= VERIFIED_MAX) this.#verified.clear();
      this.#verified.set(key, { user: name, until: Date.now() + VERIFIED_TTL_MS });
    }
    return { ok: true, principal: { name, bindings: user.bindings, via: 'password' } };
  }

  async #bearer(secret: string): Promise<Authentication> {
    const token = await this.#store.findTokenByHash(tokenHash(secret));
    if (!token) return { ok: false, reason: 'bad-token' };
    if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now())
      return { ok: false, reason: 'expired', user: token.user };
    const user = await this.#store.getUser(token.user);
    if (!user) return { ok: false, reason: 'bad-token' };
    if (user.disabled) return { ok: false, reason: 'disabled', user: user.name };
    await this.#store.touchToken(token.id, new Date().toISOString());
    return {
      ok: true,
      principal: { name: user.name, bindings: user.bindings, via: 'token', tokenId: token.id },
    };
  }
}
