/**
 * Users and API tokens as the API and `baton users` / `baton tokens` change them: validation, the
 * shapes shown to clients (never a password hash nor a token's hash or secret, except the secret in the
 * answer that creates it), and one audit entry per change. Both the HTTP routes and the command line go
 * through this module, so the rules (and the audit trail) are the same wherever a change comes from.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { BatonError } from '../../errors.ts';
import type { AuditEntry, RoleBinding, Store, StoredToken, StoredUser } from '../../store/types.ts';
import { tokenHash } from './authenticate.ts';
import { hashPassword } from './passwords.ts';
import { allowsEverywhere, isRole, NAMESPACE_PATTERN, ROLES } from './roles.ts';

/**
 * A user name: letters, digits and `._@-`. No colon: HTTP Basic splits `name:password` at the first one,
 * so a name with a colon could never sign in.
 */
export const USER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/;
/** Shortest password accepted (NIST SP 800-63B's floor for a chosen password). */
export const MIN_PASSWORD_LENGTH = 8;
/** Longest password: scrypt takes any length, but a megabyte "password" is a request to burn CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

/** A user as clients see it. */
export interface PublicUser {
  name: string;
  bindings: RoleBinding[];
  disabled: boolean;
  /** Whether the user can sign in with a password (otherwise only with tokens). */
  hasPassword: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A token as clients see it: never its hash; its secret only once, when created. */
export interface PublicToken {
  id: string;
  user: string;
  name: string;
  createdAt: string;
  expiresAt?: string;
  lastUsedAt?: string;
  expired: boolean;
}

export const publicUser = (u: StoredUser): PublicUser => ({
  name: u.name,
  bindings: u.bindings.map((b) => ({ role: b.role, namespace: b.namespace })),
  disabled: u.disabled,
  hasPassword: u.passwordHash !== undefined,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
});

export const publicToken = (t: StoredToken, now = Date.now()): PublicToken => ({
  id: t.id,
  user: t.user,
  name: t.name,
  createdAt: t.createdAt,
  ...(t.expiresAt === undefined ? {} : { expiresAt: t.expiresAt }),
  ...(t.lastUsedAt === undefined ? {} : { lastUsedAt: t.lastUsedAt }),
  expired: t.expiresAt !== undefined && Date.parse(t.expiresAt) <= now,
});

/** A change to audit: who, when and from where are added by the caller. */
export type AccountAudit = Omit<AuditEntry, 'at' | 'actor' | 'source'>;

export interface AccountsOptions {
  /** Appends one audit entry per change. */
  audit(entry: AccountAudit): Promise<void>;
  /** Drops what is remembered of the user's credentials (the server's verified-password cache). */
  forget?(user: string): void;
}

export interface UserInput {
  name: string;
  password?: string;
  bindings?: RoleBinding[];
  disabled?: boolean;
}

export interface UserChange {
  password?: string;
  bindings?: RoleBinding[];
  disabled?: boolean;
}

const invalid = (message: string) => new BatonError('INVALID_INPUT', message);

const checkPassword = (password: string): void => {
  if (password.length < MIN_PASSWORD_LENGTH)
    throw invalid(`password: at least ${MIN_PASSWORD_LENGTH} characters are needed`);
  if (password.length > MAX_PASSWORD_LENGTH)
    throw invalid(`password: at most ${MAX_PASSWORD_LENGTH} characters`);
};

const checkBindings = (bindings: RoleBinding[]): RoleBinding[] =>
  bindings.map((b, i) => {
    if (!isRole(b.role)) throw invalid(`bindings[${i}].role: '${b.role}' is not one of ${ROLES.join(', ')}`);
    if (typeof b.namespace !== 'string' || !NAMESPACE_PATTERN.test(b.namespace))
      throw invalid(
        `bindings[${i}].namespace: '${b.namespace}' is not '*', a namespace (company.team) or a prefix (company.*)`,
      );
    return { role: b.role, namespace: b.namespace };
  });

/** An enabled admin of `*`: who can still manage users. */
const isActiveAdmin = (u: StoredUser): boolean => !u.disabled && allowsEverywhere(u.bindings, 'admin');

/** A new token's secret: 256 random bits, with a prefix that secret scanners can recognise. */
const newSecret = (): string => `baton_${randomBytes(32).toString('base64url')}`;

export class Accounts {
  readonly #store: Store;
  readonly #options: AccountsOptions;

  constructor(store: Store, options: AccountsOptions) {
    this.#store = store;
    this.#options = options;
  }

  async listUsers(): Promise<PublicUser[]> {
    return (await this.#store.listUsers()).map(publicUser);
  }

  async getUser(name: string): Promise<PublicUser> {
    return publicUser(await this.#existing(name));
  }

  async createUser(input: UserInput): Promise<PublicUser> {
    if (!USER_NAME_PATTERN.test(input.name))
      throw invalid(
        `name: '${input.name}' must be 1 to 100 letters, digits or . _ @ - (starting with a letter or digit)`,
      );
    if (await this.#store.getUser(input.name))
      throw new BatonError('CONFLICT', `user '${input.name}' already exists`);
    if (input.password !== undefined) checkPassword(input.password);
    const bindings = checkBindings(input.bindings ?? []);
    const now = new Date().toISOString();
    const user: StoredUser = {
      name: input.name,
      ...(input.password === undefined ? {} : { passwordHash: await hashPassword(input.password) }),
      bindings,
      disabled: input.disabled ?? false,
      createdAt: now,
      updatedAt: now,
    };
    await this.#store.putUser(user);
    await this.#options.audit({
      action: 'user.create',
      target: user.name,
      details: { bindings, disabled: user.disabled, password: input.password !== undefined },
    });
    return publicUser(user);
  }

  async updateUser(name: string, change: UserChange): Promise<PublicUser> {
    const existing = await this.#existing(name);
    if (change.password !== undefined) checkPassword(change.password);
    const bindings = change.bindings === undefined ? existing.bindings : checkBindings(change.bindings);
    const updated: StoredUser = {
      ...existing,
      ...(change.password === undefined ? {} : { passwordHash: await hashPassword(change.password) }),
      bindings,
      disabled: change.disabled ?? existing.disabled,
      updatedAt: new Date().toISOString(),
    };
    if (isActiveAdmin(existing) && !isActiveAdmin(updated)) await this.#keepAnAdmin(name);
    await this.#store.putUser(updated);
    this.#options.forget?.(name);
    // What changed, never a password or its hash.
    await this.#options.audit({
      action: 'user.update',
      target: name,
      details: {
        ...(change.password === undefined ? {} : { password: true }),
        ...(change.bindings === undefined ? {} : { bindings }),
        ...(change.disabled === undefined ? {} : { disabled: updated.disabled }),
      },
    });
    return publicUser(updated);
  }

  /** Deletes the user and the user's tokens. */
  async deleteUser(name: string): Promise<void> {
    const existing = await this.#existing(name);
    if (isActiveAdmin(existing)) await this.#keepAnAdmin(name);
    await this.#store.deleteUser(name);
    this.#options.forget?.(name);
    await this.#options.audit({ action: 'user.delete', target: name });
  }

  /** Tokens of `user` (of everyone when absent), oldest first. */
  async listTokens(user?: string): Promise<PublicToken[]> {
    if (user !== undefined) await this.#existing(user);
    const now = Date.now();
    return (await this.#store.listTokens(user)).map((t) => publicToken(t, now));
  }

  /** Creates a token for `user`; the secret is in this answer only (the store keeps its hash). */
  async createToken(
    user: string,
    input: { name: string; expiresAt?: string },
  ): Promise<PublicToken & { token: string }> {
    await this.#existing(user);
    const name = input.name.trim();
    if (name.length === 0 || name.length > 100) throw invalid('name: 1 to 100 characters are needed');
    if (input.expiresAt !== undefined) {
      const at = Date.parse(input.expiresAt);
      if (Number.isNaN(at)) throw invalid(`expiresAt: '${input.expiresAt}' is not a date`);
      if (at <= Date.now()) throw invalid(`expiresAt: ${input.expiresAt} is already past`);
    }
    const secret = newSecret();
    const token: StoredToken = {
      id: randomUUID(),
      user,
      name,
      hash: tokenHash(secret),
      createdAt: new Date().toISOString(),
      ...(input.expiresAt === undefined ? {} : { expiresAt: new Date(input.expiresAt).toISOString() }),
    };
    await this.#store.putToken(token);
    await this.#options.audit({
      action: 'token.create',
      target: token.id,
      details: { user, name, ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }) },
    });
    return { ...publicToken(token), token: secret };
  }

  /** Revokes a token; with `user`, only one of that user's (another's is "not found"). */
  async revokeToken(id: string, user?: string): Promise<void> {
    const token = (await this.#store.listTokens(user)).find((t) => t.id === id);
    if (!token) throw new BatonError('NOT_FOUND', `token '${id}' not found`);
    await this.#store.deleteToken(id);
    await this.#options.audit({
      action: 'token.revoke',
      target: id,
      details: { user: token.user, name: token.name },
    });
  }

  async #existing(name: string): Promise<StoredUser> {
    const user = await this.#store.getUser(name);
    if (!user) throw new BatonError('NOT_FOUND', `user '${name}' not found`);
    return user;
  }

  /** Refuses a change that would leave nobody able to manage users. */
  async #keepAnAdmin(changed: string): Promise<void> {
    const others = (await this.#store.listUsers()).filter((u) => u.name !== changed && isActiveAdmin(u));
    if (others.length === 0)
      throw new BatonError(
        'CONFLICT',
        `'${changed}' is the last enabled admin of '*': add another admin first`,
      );
  }
}
