/**
 * `baton users add NAME [--role ROLE[:NS]]... [--password-stdin]`, `users list`, `users set NAME ...`,
 * `users delete NAME`: the server's users, changed on the data folder (a running server sees the change
 * at its next request: it reads users from the store every time).
 */
import { UsageError } from '../errors.ts';
import type { PublicUser } from '../server/auth/accounts.ts';
import { parseBinding } from '../server/auth/roles.ts';
import { cliAccounts, openAccessStore, readStdin } from './access-store.ts';
import { dataDirOption, parse } from './args.ts';

const USAGE =
  'usage: baton users add NAME [--role ROLE[:NS]]... [--password-stdin] | list | set NAME ... | delete NAME';

const bindingsText = (u: PublicUser): string =>
  u.bindings.map((b) => `${b.role}:${b.namespace}`).join(', ') || '(no role)';

export const main = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parse(argv, {
    ...dataDirOption,
    role: { type: 'string', multiple: true },
    'password-stdin': { type: 'boolean' },
    disable: { type: 'boolean' },
    enable: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const [sub, name, ...extra] = positionals;
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'\n${USAGE}`);
  if (values.disable && values.enable) throw new UsageError('--disable and --enable exclude each other');
  const needsName = sub === 'add' || sub === 'set' || sub === 'delete';
  if (sub === undefined || !['add', 'list', 'set', 'delete'].includes(sub)) throw new UsageError(USAGE);
  if (needsName && !name) throw new UsageError(`baton users ${sub} needs a user name\n${USAGE}`);
  const bindings = values.role?.map(parseBinding);
  // Read before the store is opened: a terminal prompt must not hold the database.
  const password = values['password-stdin'] ? await readStdin() : undefined;
  const store = await openAccessStore(values);
  try {
    const accounts = cliAccounts(store);
    if (sub === 'list') {
      const users = await accounts.listUsers();
      if (values.json) console.log(JSON.stringify(users, null, 2));
      else
        for (const u of users)
          console.log(
            `${u.name.padEnd(20)} ${bindingsText(u)}${u.disabled ? '  DISABLED' : ''}${u.hasPassword ? '' : '  (tokens only)'}`,
          );
      return 0;
    }
    if (sub === 'add') {
      const user = await accounts.createUser({
        name: name!,
        password,
        bindings: bindings ?? [],
        disabled: values.disable ?? false,
      });
      console.log(`user ${user.name} added: ${bindingsText(user)}`);
      if (!user.hasPassword)
        console.log(
          `no password: it signs in with tokens (baton tokens create --user ${user.name} --name ...)`,
        );
      return 0;
    }
    if (sub === 'set') {
      const disabled = values.disable ? true : values.enable ? false : undefined;
      if (bindings === undefined && password === undefined && disabled === undefined)
        throw new UsageError('baton users set: give --role, --password-stdin, --disable or --enable');
      const user = await accounts.updateUser(name!, { password, bindings, disabled });
      console.log(`user ${user.name} changed: ${bindingsText(user)}${user.disabled ? ' (disabled)' : ''}`);
      return 0;
    }
    await accounts.deleteUser(name!);
    console.log(`user ${name} deleted, with their tokens`);
    return 0;
  } finally {
    await store.close();
  }
};
