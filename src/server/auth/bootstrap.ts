/**
 * The first admin. With `BATON_ADMIN_USER` and `BATON_ADMIN_PASSWORD` set, that user exists with that
 * password and the admin role on `*` (the password is updated if it changed). Without them, on a store
 * with no user at all, an `admin` user is created with a generated password that is printed once;
 * only its hash is stored.
 */
import type { Store } from '../../store/types.ts';
import { generatePassword, hashPassword, verifyPassword } from './passwords.ts';

export interface BootstrapResult {
  /** Set when a password was generated: the one time it is shown. */
  generated?: { user: string; password: string };
}

export const bootstrapAdmin = async (
  store: Store,
  env: { user?: string; password?: string },
): Promise<BootstrapResult> => {
  const now = new Date().toISOString();
  if (env.user && env.password) {
    const existing = await store.getUser(env.user);
    if (existing?.passwordHash && (await verifyPassword(env.password, existing.passwordHash))) return {};
    await store.putUser({
      name: env.user,
      passwordHash: await hashPassword(env.password),
      bindings: existing?.bindings.some((b) => b.role === 'admin' && b.namespace === '*')
        ? existing.bindings
        : [...(existing?.bindings ?? []), { role: 'admin', namespace: '*' }],
      disabled: false,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    return {};
  }
  if ((await store.listUsers()).length > 0) return {};
  const password = generatePassword();
  await store.putUser({
    name: 'admin',
    passwordHash: await hashPassword(password),
    bindings: [{ role: 'admin', namespace: '*' }],
    disabled: false,
    createdAt: now,
    updatedAt: now,
  });
  return { generated: { user: 'admin', password } };
};
